package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.pipeline.StageMix;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Andromeda version ladder (Dalton et al., NSDI'18, section 5) as
 * configurations of this dataplane. Each rung is a set of switches on the real
 * parts -- which thread hand-offs, copies, sockets and wake-ups a frame goes
 * through -- not a cost model:
 *
 * <pre>
 * rung           VMM hop      kernel path   guest csum  batch  wait        copy
 * pre-andromeda  per packet   per packet    in guest    1      blocking    sw
 * 1.0            batched      batched       in guest    1      blocking    sw
 * 1.5            batched      batched       vNIC        32     blocking    sw
 * 2.0            batched      memory link   vNIC        32     busy poll   sw
 * 2.1            none         memory link   vNIC        32     busy poll   sw
 * 2.2            none         memory link   vNIC        32     busy poll   dma_copy from 1 KiB
 * </pre>
 *
 * <ul>
 * <li>VMM hop: {@link VmmHop}, a VMM thread copying each frame between guest and dataplane.
 * <li>kernel path: {@link KernelUdpPath}, a loopback UDP socket a frame, a receive thread
 *     blocked in {@code receive()}; from 2.0 the OS-bypass {@link MemoryLink}.
 * <li>guest csum: before 1.5 the guest computes its transmit checksums and verifies what it
 *     receives itself; from 1.5 the vNIC offloads do (NEEDS_CSUM, DATA_VALID).
 * <li>batch: frames a turn takes from a VM's ring ({@link Host#egressBatchLimit}); 32 coalesces
 *     the flow lookups of a batch.
 * <li>wait: blocking ({@link Waker}, the dataplane sleeps until a doorbell) or busy polling.
 * <li>copy: the copy stage's implementation ({@code copy=emu@1024}: the dma_copy block's model
 *     above 1 KiB).
 * </ul>
 */
public enum LadderRung {
    PRE_ANDROMEDA("pre-andromeda", VmmHop.Mode.PER_PACKET, KernelUdpPath.Mode.PER_PACKET, true, 1, false, "all=sw"),
    V1_0("1.0", VmmHop.Mode.BATCHED, KernelUdpPath.Mode.BATCHED, true, 1, false, "all=sw"),
    V1_5("1.5", VmmHop.Mode.BATCHED, KernelUdpPath.Mode.BATCHED, false, 32, false, "all=sw"),
    V2_0("2.0", VmmHop.Mode.BATCHED, null, false, 32, true, "all=sw"),
    V2_1("2.1", null, null, false, 32, true, "all=sw"),
    V2_2("2.2", null, null, false, 32, true, "copy=emu@1024");

    private final String label;
    private final VmmHop.Mode vmmHop;
    private final KernelUdpPath.Mode kernelPath;
    private final boolean guestChecksums;
    private final int egressBatch;
    private final boolean busyPoll;
    private final String mix;

    LadderRung(String label, VmmHop.Mode vmmHop, KernelUdpPath.Mode kernelPath, boolean guestChecksums,
               int egressBatch, boolean busyPoll, String mix) {
        this.label = label;
        this.vmmHop = vmmHop;
        this.kernelPath = kernelPath;
        this.guestChecksums = guestChecksums;
        this.egressBatch = egressBatch;
        this.busyPoll = busyPoll;
        this.mix = mix;
    }

    /** "pre-andromeda", "1.0", ... "2.2". */
    public String label() {
        return label;
    }

    /** The VMM hop's mode, or null: the dataplane reads the vNIC rings directly. */
    public VmmHop.Mode vmmHop() {
        return vmmHop;
    }

    /** The kernel path's mode, or null: hosts joined by an in-memory link (OS bypass). */
    public KernelUdpPath.Mode kernelPath() {
        return kernelPath;
    }

    /** Whether the guest computes and verifies its own L4 checksums (no vNIC checksum offload). */
    public boolean guestChecksums() {
        return guestChecksums;
    }

    /** Frames a turn takes from each VM's ring. */
    public int egressBatch() {
        return egressBatch;
    }

    /** Busy polling (true) or blocking wake-ups. */
    public boolean busyPoll() {
        return busyPoll;
    }

    /** The offload stages: software, or the copy above 1 KiB on the dma_copy block. */
    public StageMix mix() {
        return "all=sw".equals(mix) ? StageMix.software() : StageMix.parse(mix);
    }

    /** One line: what this rung switches on. */
    public String describe() {
        return String.format(Locale.ROOT, "VMM hop %s, %s, checksums %s, %d-frame batches, %s, %s",
                vmmHop == null ? "none" : vmmHop.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                kernelPath == null ? "memory link (OS bypass)" : "kernel UDP " + kernelPath.name()
                        .toLowerCase(Locale.ROOT).replace('_', ' '),
                guestChecksums ? "in the guest" : "by the vNIC", egressBatch, busyPoll ? "busy polling"
                        : "blocking wake-ups", "all=sw".equals(mix) ? "copies in software" : mix);
    }

    /**
     * A rung by its label, with or without a {@code ladder-} prefix: "1.0", "ladder-2.2",
     * "pre-andromeda".
     *
     * @throws IllegalArgumentException naming the rungs there are
     */
    public static LadderRung parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.startsWith("ladder-")) {
            n = n.substring("ladder-".length());
        }
        for (LadderRung r : values()) {
            if (r.label.equals(n)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no ladder rung '" + name + "'; rungs: " + Arrays.stream(values())
                .map(LadderRung::label).collect(Collectors.joining(", ")));
    }
}
