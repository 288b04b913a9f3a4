package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * The checksum stage of the demo: the same packets through every
 * implementation in egress batches of 32, each run checked against the
 * {@code sw} run byte for byte and every L4 checksum verified as a receiver would.
 */
public final class ChecksumDemo {
    /** Egress batch size (Andromeda's figure). */
    public static final int BATCH = 32;
    /** Packets each implementation runs before its measured run. */
    public static final int WARMUP_PACKETS = 20_000;

    /** The outcome of one implementation. */
    public record Run(String impl, String unavailable, int packets, int agree, int valid, long bytes,
                      long hwCycles, long cpuNs, long simWallNs, double clockMHz) {
        public boolean ran() {
            return unavailable == null;
        }

        public double cpuNsPerPacket() {
            return packets == 0 ? 0 : (double) cpuNs / packets;
        }

        public double hwCyclesPerPacket() {
            return packets == 0 ? 0 : (double) hwCycles / packets;
        }

        public double hwNsPerPacket() {
            return hwCyclesPerPacket() * 1000.0 / clockMHz;
        }

        public double simMcyclesPerSecond() {
            return simWallNs == 0 ? 0 : hwCycles * 1000.0 / simWallNs;
        }
    }

    private ChecksumDemo() {
    }

    /**
     * Runs the packets through each implementation named.
     *
     * @param progress told the implementation and the number of its packets done
     */
    public static List<Run> run(List<DemoPackets.Packet> packets, List<String> impls, OffloadOptions options,
                                BiConsumer<String, Integer> progress) {
        List<Run> runs = new ArrayList<>();
        byte[][] reference = null;
        for (String impl : impls) {
            ChecksumOffloadProvider p = Offloads.checksumProvider(impl);
            if (!p.isAvailable()) {
                runs.add(new Run(impl, p.unavailabilityCause(), 0, 0, 0, 0, 0, 0, 0, options.clockMHz()));
                continue;
            }
            // Warm-up, not measured: lets the JIT compile the stage and its driver first,
            // so the table compares steady-state costs rather than start-up.
            // C2 needs some 10^4 packets through the loop (measured: 1.7 us a packet for the
            // first 10^5 sw packets, 125 ns after).
            List<DemoPackets.Packet> warm = packets.subList(0, Math.min(packets.size(), 2000));
            try (ChecksumOffload stage = p.open(options)) {
                for (int done = 0; done < WARMUP_PACKETS; done += warm.size()) {
                    runAll(stage, warm, new byte[warm.size()][], d -> { });
                }
            }
            byte[][] out = new byte[packets.size()][];
            OffloadCounters c;
            try (ChecksumOffload stage = p.open(options)) {
                runAll(stage, packets, out, done -> progress.accept(impl, done));
                c = stage.counters();
            }
            if (reference == null && impl.equals("sw")) {
                reference = out;
            }
            int agree = 0;
            int valid = 0;
            for (int i = 0; i < out.length; i++) {
                if (reference != null && Arrays.equals(out[i], reference[i])) {
                    agree++;
                }
                if (DemoPackets.l4ChecksumValid(out[i], packets.get(i))) {
                    valid++;
                }
            }
            runs.add(new Run(impl, null, packets.size(), reference == null ? -1 : agree, valid, c.bytes(),
                    c.hwCycles(), c.cpuNs(), c.simWallNs(), options.clockMHz()));
        }
        return runs;
    }

    private static void runAll(ChecksumOffload stage, List<DemoPackets.Packet> packets, byte[][] out,
                               IntConsumer progress) {
        int maxFrame = packets.stream().mapToInt(p -> p.frame().length).max().orElse(0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate((long) BATCH * (maxFrame + 64), 64);
            try (ChecksumBatch batch = new ChecksumBatch(BATCH, memory)) {
                for (int first = 0; first < packets.size(); first += BATCH) {
                    int n = Math.min(BATCH, packets.size() - first);
                    batch.clear();
                    long at = 0;
                    long[] offsets = new long[n];
                    for (int k = 0; k < n; k++) {
                        DemoPackets.Packet p = packets.get(first + k);
                        MemorySegment.copy(p.frame(), 0, memory, ValueLayout.JAVA_BYTE, at, p.frame().length);
                        offsets[k] = at;
                        batch.add(at, p.frame().length, p.csumStart(), p.csumOffset(), p.seed());
                        at += p.frame().length + 64 - (p.frame().length % 64);
                    }
                    stage.process(batch);
                    for (int k = 0; k < n; k++) {
                        if (batch.status(k) != ChecksumBatch.STATUS_DONE) {
                            throw new IllegalStateException(stage.name() + " did not complete packet " + (first + k));
                        }
                        out[first + k] = memory.asSlice(offsets[k], packets.get(first + k).frame().length)
                                .toArray(ValueLayout.JAVA_BYTE);
                    }
                    progress.accept(first + n);
                }
            }
        }
    }
}
