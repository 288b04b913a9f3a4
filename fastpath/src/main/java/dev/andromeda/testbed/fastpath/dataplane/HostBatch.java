package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.PacketBatch;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

import java.util.Arrays;

/**
 * A batch on its way through a host's pipeline: the frames (a
 * {@link PacketBatch} over the host's packet pool) and, per packet, what the
 * stages learn and decide -- parse result, flow, action, virtio checksum
 * request, destination. Preallocated once per pipeline and reused for every
 * batch: nothing is allocated per packet.
 *
 * <p>A dropped packet is marked dead (and its buffer freed by the stage that
 * dropped it); later stages skip dead packets. {@link #live()} counts the rest
 * and {@link #liveBytes()} their bytes, both kept as packets are added, killed
 * and resized ({@link #frame}), so the stage accounts read them without a scan.
 */
public final class HostBatch {
    /** No checksum requested (virtio {@code NEEDS_CSUM} clear). */
    public static final int NO_CSUM = -1;

    public final PacketBatch packets;
    public final ParsedPacket[] parsed;
    public final boolean[] dead;
    public final int[] flow;
    public final int[] action;
    /** virtio-net: where the checksum starts / is written, or {@link #NO_CSUM}. */
    public final int[] csumStart;
    public final int[] csumOffset;
    /**
     * Egress with {@code checksum=nic}: the checksum is the NIC's to insert -- the sum starts
     * at this offset into the pool's memory and goes at {@code nicCsum + csumOffset} (UDP when
     * {@code parsed} says so). Positions in memory, not in the frame, so headers put in front
     * later leave them true. -1: nothing left to the NIC.
     */
    public final long[] nicCsum;
    /**
     * Egress with {@code crypto=nic}: the PSP seal is the NIC's -- the PSP header is at this
     * position in the pool's memory (its IV written, the ICV's 16 bytes at the frame's end left
     * for the NIC), under SA slot {@link #nicPspSlot}. -1: nothing left to the NIC.
     */
    public final long[] nicPsp;
    public final int[] nicPspSlot;
    /**
     * Ingress: the NIC opened this PSP frame and its tag matched (the text is plaintext, the
     * ICV's bytes are not to be read); the host only takes the headers off.
     */
    public final boolean[] nicOpened;
    /**
     * Ingress through a NIC port: the NIC's checksum-complete, its complemented RFC 1071 sum of
     * the pool's memory from {@code rxCsumFrom} to {@code rxCsumTo} (the frame as received, after
     * its Ethernet header), or -1.
     */
    public final int[] rxCsum;
    public final long[] rxCsumFrom;
    public final long[] rxCsumTo;
    /** The local VM port the packet goes to, or -1. */
    public final int[] vmPort;
    /** Egress: the index (in the flow table's host list) of the host the packet is encapsulated to, or -1. */
    public final int[] host;
    /** Ingress: virtio {@code DATA_VALID} -- the inner L4 checksum was verified. */
    public final boolean[] dataValid;
    /** Egress: bound for the Internet (through the VM's coprocessor, then the host's Internet port). */
    public final boolean[] internet;
    /** Ingress: the packet arrived PSP-encrypted and its ICV verified. */
    public final boolean[] pspVerified;
    /** The packet's virtual network where the batch has several (forwarding); egress batches use {@link #vm}. */
    public final int[] vni;
    /** The VM whose batch this is (egress), or null (ingress). */
    public VmPort vm;
    private int live;
    private long liveBytes;

    public HostBatch(int capacity) {
        packets = new PacketBatch(capacity);
        parsed = new ParsedPacket[capacity];
        for (int i = 0; i < capacity; i++) {
            parsed[i] = new ParsedPacket();
        }
        dead = new boolean[capacity];
        flow = new int[capacity];
        action = new int[capacity];
        csumStart = new int[capacity];
        csumOffset = new int[capacity];
        nicCsum = new long[capacity];
        nicPsp = new long[capacity];
        nicPspSlot = new int[capacity];
        nicOpened = new boolean[capacity];
        rxCsum = new int[capacity];
        rxCsumFrom = new long[capacity];
        rxCsumTo = new long[capacity];
        vmPort = new int[capacity];
        host = new int[capacity];
        dataValid = new boolean[capacity];
        pspVerified = new boolean[capacity];
        internet = new boolean[capacity];
        vni = new int[capacity];
    }

    /** Empties the batch for reuse. */
    public void clear() {
        int n = packets.size();
        Arrays.fill(dead, 0, n, false);
        Arrays.fill(dataValid, 0, n, false);
        Arrays.fill(pspVerified, 0, n, false);
        Arrays.fill(internet, 0, n, false);
        packets.clear();
        vm = null;
        live = 0;
        liveBytes = 0;
    }

    /** Appends a frame; returns its index. */
    public int add(int buffer, long offset, int length, int csumStart, int csumOffset) {
        int i = packets.add(buffer, offset, length);
        this.csumStart[i] = csumStart;
        this.csumOffset[i] = csumOffset;
        this.nicCsum[i] = -1;
        this.nicPsp[i] = -1;
        this.nicOpened[i] = false;
        this.rxCsum[i] = -1;
        this.vmPort[i] = -1;
        this.host[i] = -1;
        this.flow[i] = -1;
        this.vni[i] = vm == null ? 0 : vm.vni();
        live++;
        liveBytes += length;
        return i;
    }

    /**
     * Packet i now lies at {@code (offset, length)} in the pool's memory (headers put on or
     * taken off in place): the one way stages change a live packet's extent, so the live bytes
     * stay right.
     */
    public void frame(int i, long offset, int length) {
        liveBytes += length - packets.length[i];
        packets.offset[i] = offset;
        packets.length[i] = length;
    }

    public int size() {
        return packets.size();
    }

    public int live() {
        return live;
    }

    /** Bytes of the live packets. */
    public long liveBytes() {
        return liveBytes;
    }

    /**
     * Takes packet i out of the batch -- sent, delivered or dropped -- for
     * stages and ports outside this package; the caller has already dealt with
     * its buffer (freed it, or handed it on).
     */
    public void consume(int i) {
        kill(i);
    }

    /** Marks packet i dropped; the caller frees its buffer and counts the reason. */
    void kill(int i) {
        if (!dead[i]) {
            dead[i] = true;
            live--;
            liveBytes -= packets.length[i];
        }
    }
}
