package dev.andromeda.testbed.hw.driver;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A memory that serves a model's AXI4 master port from host memory (a {@link MemorySegment};
 * a bus address is an offset into it). One responder for every memory port: the standard
 * AXI4 names under a prefix, or any names through an {@link AxiPortMap} (the DMA block's
 * {@code m_rd}/{@code s_rdata}/{@code m_wr}/{@code s_wresp} are {@link AxiPortMap#dmaCopy()}).
 *
 * <ul>
 *   <li>Reads: a burst ({@code ARADDR}, {@code ARLEN} or a beat count, {@code ARSIZE},
 *       {@code ARBURST} FIXED/INCR/WRAP, {@code ARID}) accepted at the edge of cycle {@code t}
 *       has its first beat offered no earlier than cycle {@code t + max(1, latency)}; beats
 *       follow in order, bursts in request order, {@code RLAST} on each burst's final beat,
 *       {@code RID} its {@code ARID}. At most {@code maxReadsInFlight} bursts are accepted and
 *       not fully returned; at the limit {@code ARREADY} is low. Memory is read when a beat is
 *       offered; a beat's bytes go on their lanes (byte {@code A} on lane {@code A mod width}).</li>
 *   <li>Writes: AW and W are taken independently (data may come first; up to
 *       {@value #W_BUFFER} beats wait for their address); each beat's strobed bytes are
 *       written when both are there. Each burst is answered on B ({@code BID} its
 *       {@code AWID}), in order, no earlier than {@link Faults#writeResponseLatency} cycles
 *       after its last beat, with the worst response of its beats. A fused write port (AW
 *       and W in one handshake) is a one-beat write per handshake.</li>
 *   <li>Errors: a beat not wholly inside the segment answers {@link Faults#outOfRange}
 *       (DECERR by default) and a beat touching a failing range SLVERR; such a read carries
 *       random poison data, such a write changes nothing. Counted: {@link #outOfRange()},
 *       {@link #readErrors()}, {@link #writeErrors()}.</li>
 *   <li>Seeded random idle cycles on R and B (valid withheld with a beat due) and
 *       back-pressure on AR, AW and W (ready low).</li>
 *   <li>A request the memory cannot serve (a burst of 0 beats; a misaligned address when
 *       {@link #alignedOnly}) throws {@link IllegalStateException} naming it and the cycle; the
 *       AXI rules themselves are the {@link AxiProtocolChecker}'s.</li>
 * </ul>
 * It drives in {@link #beforeEdge} and reads the master's handshakes in {@link #sample}, so a
 * master whose ready depends on valid in the same cycle is served right.
 */
public final class AxiMemory implements BusAgent {
    /** W beats that may wait for their address. */
    public static final int W_BUFFER = 256;
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int FIXED = 0;
    private static final int WRAP = 2;

    /**
     * Errors the memory injects, and its write-response latency. Ranges are byte offsets
     * {@code [from, to)} into the segment; accesses outside the segment answer {@link #outOfRange}.
     */
    public static final class Faults {
        /** Cycles from a write's last beat accepted to its response offered, by default. */
        public static final int DEFAULT_WRITE_RESPONSE_LATENCY = 2;

        private final List<long[]> readRanges = new ArrayList<>();
        private final List<long[]> writeRanges = new ArrayList<>();
        private int writeResponseLatency = DEFAULT_WRITE_RESPONSE_LATENCY;
        private int outOfRange = AxiResp.DECERR;

        /** No injected errors, the default write-response latency, DECERR outside the segment. */
        public static Faults none() {
            return new Faults();
        }

        /** Reads of a beat touching {@code [from, to)} answer SLVERR. */
        public Faults failReads(long from, long to) {
            readRanges.add(new long[] {from, to});
            return this;
        }

        /** Writes with a strobed byte in {@code [from, to)} answer SLVERR and change nothing. */
        public Faults failWrites(long from, long to) {
            writeRanges.add(new long[] {from, to});
            return this;
        }

        /** Cycles from a write accepted to its response offered (0 acts as 1). */
        public Faults writeResponseLatency(int cycles) {
            if (cycles < 0) {
                throw new IllegalArgumentException("write response latency must be >= 0: " + cycles);
            }
            writeResponseLatency = cycles;
            return this;
        }

        /** The answer to a beat outside the segment: {@link AxiResp#DECERR} (default) or {@link AxiResp#SLVERR}. */
        public Faults outOfRange(int resp) {
            if (resp != AxiResp.DECERR && resp != AxiResp.SLVERR) {
                throw new IllegalArgumentException("out of range answers DECERR (3) or SLVERR (2), not " + resp);
            }
            outOfRange = resp;
            return this;
        }

        public int writeResponseLatency() {
            return Math.max(1, writeResponseLatency);
        }

        public int outOfRange() {
            return outOfRange;
        }

        boolean readFails(long at, long bytes) {
            return hits(readRanges, at, at + bytes);
        }

        boolean writeFails(long at, long bytes) {
            return hits(writeRanges, at, at + bytes);
        }

        private static boolean hits(List<long[]> ranges, long from, long to) {
            for (long[] r : ranges) {
                if (from < r[1] && r[0] < to) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A burst accepted: its address, beats, beat size in bytes, type, ID and the cycle it may start. */
    private record Burst(long addr, int beats, int size, int type, long id, long due) {
        /** The address of beat {@code k} (AXI's address arithmetic for FIXED, INCR and WRAP). */
        long beat(int k) {
            if (type == FIXED || k == 0) {
                return addr;
            }
            if (type == WRAP) {
                long total = (long) size * beats;
                long base = addr & -total;
                return base + (addr - base + (long) k * size) % total;
            }
            return (addr & -size) + (long) k * size;
        }
    }

    private final AxiPorts p;
    private final MemorySegment memory;
    private final int dataBytes;
    private final int latency;
    private final int maxReadsInFlight;
    private final double idleProbability;
    private final double backpressure;
    private final Faults faults;
    private final int wrespLatency;
    private final boolean fused;
    private final SplittableRandom arRandom;
    private final SplittableRandom rRandom;
    private final SplittableRandom awRandom;
    private final SplittableRandom bRandom;
    private final SplittableRandom wRandom;
    private boolean alignedOnly;

    private final ArrayDeque<Burst> bursts = new ArrayDeque<>();
    private final ArrayDeque<Burst> aws = new ArrayDeque<>();
    /** W beats taken, waiting for (or being applied to) their address: data words then strobes. */
    private final ArrayDeque<long[]> wBeats = new ArrayDeque<>();
    /** Writes complete, not yet answered: {response code, id, cycle its response may go}. */
    private final ArrayDeque<long[]> responses = new ArrayDeque<>();
    private final long[] rWords;
    private int beatInBurst;
    private int wBeatInBurst;
    private int wWorst;
    private boolean holding;
    private boolean holdingResp;
    private boolean arReady;
    private boolean awReady;
    private boolean wReady;
    private boolean arFires;
    private boolean rFires;
    private boolean rError;
    private int rBytes;
    private boolean awFires;
    private boolean wFires;
    private boolean bFires;
    private Burst arTaken;
    private Burst awTaken;
    private long[] wTaken;

    private long bytesRead;
    private long bytesWritten;
    private int maxInFlightSeen;
    private long readBursts;
    private long writeBursts;
    private long writeBeats;
    private long writeResponses;
    private long readErrors;
    private long writeErrors;
    private long outOfRange;

    /**
     * @param ports            a master port of the model ({@link AxiPorts#bind})
     * @param latency          cycles from a read burst accepted to its first beat offered (0 acts as 1)
     * @param maxReadsInFlight bursts accepted and not fully returned, at most
     * @param idleProbability  chance, each cycle a read beat or write response is due, of withholding it
     * @param backpressure     chance, each cycle, of ready low on AR and (independently) AW and W
     * @param faults           errors to inject, the write-response latency, the out-of-range answer
     */
    public AxiMemory(AxiPorts ports, MemorySegment memory, long seed, int latency, int maxReadsInFlight,
                     double idleProbability, double backpressure, Faults faults) {
        if (!ports.modelIsMaster()) {
            throw new IllegalArgumentException(ports.name() + " is a slave port of " + ports.model().block()
                    + "; a memory serves a master port (an AxiLiteMaster drives a slave)");
        }
        if (latency < 0) {
            throw new IllegalArgumentException("latency must be >= 0: " + latency);
        }
        if (maxReadsInFlight < 1) {
            throw new IllegalArgumentException("maxReadsInFlight must be >= 1: " + maxReadsInFlight);
        }
        if (idleProbability < 0 || idleProbability >= 1 || backpressure < 0 || backpressure >= 1) {
            throw new IllegalArgumentException("idle and backpressure must be in [0, 1): " + idleProbability + ", "
                    + backpressure);
        }
        this.p = ports;
        this.memory = memory;
        this.dataBytes = ports.dataBytes();
        this.latency = Math.max(1, latency);
        this.maxReadsInFlight = maxReadsInFlight;
        this.idleProbability = idleProbability;
        this.backpressure = backpressure;
        this.faults = faults;
        this.wrespLatency = faults.writeResponseLatency();
        this.fused = ports.fusedWrite();
        this.rWords = new long[ports.dataWords()];
        // Split in this order so the first four streams stay what the DMA responder drew before.
        SplittableRandom r = new SplittableRandom(seed);
        this.arRandom = r.split();
        this.rRandom = r.split();
        this.awRandom = r.split();
        this.bRandom = r.split();
        this.wRandom = r.split();
        if (ports.hasReads()) {
            ports.set(AxiSignal.ARREADY, 0);
            ports.set(AxiSignal.RVALID, 0);
        }
        if (ports.hasWrites()) {
            ports.set(AxiSignal.AWREADY, 0);
            ports.set(AxiSignal.WREADY, 0);
            ports.set(AxiSignal.BVALID, 0);
        }
    }

    /** A memory on {@code ports} with no injected errors. */
    public AxiMemory(AxiPorts ports, MemorySegment memory, long seed, int latency, int maxReadsInFlight,
                     double idleProbability, double backpressure) {
        this(ports, memory, seed, latency, maxReadsInFlight, idleProbability, backpressure, Faults.none());
    }

    /** Refuses (throws on) an address not aligned to the data width: for a master that never sends one. */
    public AxiMemory alignedOnly(boolean on) {
        alignedOnly = on;
        return this;
    }

    public AxiPorts ports() {
        return p;
    }

    @Override
    public void beforeEdge(long cycle) {
        if (p.hasReads()) {
            arReady = bursts.size() < maxReadsInFlight
                    && (backpressure == 0 || arRandom.nextDouble() >= backpressure);
            p.set(AxiSignal.ARREADY, arReady ? 1 : 0);
            if (!holding) {
                Burst head = bursts.peekFirst();
                if (head != null && cycle >= head.due
                        && (idleProbability == 0 || rRandom.nextDouble() >= idleProbability)) {
                    offerReadBeat(head);
                    holding = true;
                }
            }
            p.set(AxiSignal.RVALID, holding ? 1 : 0);
        }
        if (p.hasWrites()) {
            awReady = backpressure == 0 || awRandom.nextDouble() >= backpressure;
            wReady = fused ? awReady : wBeats.size() < W_BUFFER
                    && (backpressure == 0 || wRandom.nextDouble() >= backpressure);
            p.set(AxiSignal.AWREADY, awReady ? 1 : 0);
            if (!fused) {
                p.set(AxiSignal.WREADY, wReady ? 1 : 0);
            }
            if (!holdingResp) {
                long[] head = responses.peekFirst();
                if (head != null && cycle >= head[2]
                        && (idleProbability == 0 || bRandom.nextDouble() >= idleProbability)) {
                    p.set(AxiSignal.BRESP, head[0]);
                    p.set(AxiSignal.BID, head[1]);
                    holdingResp = true;
                }
            }
            p.set(AxiSignal.BVALID, holdingResp ? 1 : 0);
        }
    }

    private void offerReadBeat(Burst b) {
        long at = b.beat(beatInBurst);
        long end = (at & -b.size) + b.size;
        int resp;
        if (at < 0 || end > memory.byteSize()) {
            resp = faults.outOfRange;
            outOfRange++;
        } else if (faults.readFails(at, end - at)) {
            resp = AxiResp.SLVERR;
        } else {
            resp = AxiResp.OKAY;
        }
        if (resp != AxiResp.OKAY) {
            for (int i = 0; i < rWords.length; i++) {
                rWords[i] = rRandom.nextLong();
            }
        } else if (at % 8 == 0 && end - at == 8 * rWords.length) {
            for (int i = 0; i < rWords.length; i++) {
                rWords[i] = memory.get(LE_LONG, at + 8L * i);
            }
        } else {
            java.util.Arrays.fill(rWords, 0);
            for (long a = at; a < end; a++) {
                int lane = (int) (a % dataBytes);
                rWords[lane >>> 3] |= (memory.get(ValueLayout.JAVA_BYTE, a) & 0xFFL) << 8 * (lane & 7);
            }
        }
        rError = resp != AxiResp.OKAY;
        rBytes = (int) (end - at);
        p.setData(AxiSignal.RDATA, rWords);
        p.set(AxiSignal.RRESP, resp);
        p.set(AxiSignal.RLAST, beatInBurst == b.beats - 1 ? 1 : 0);
        p.set(AxiSignal.RID, b.id);
    }

    @Override
    public void sample(long cycle) {
        if (p.hasReads()) {
            arFires = arReady && p.high(AxiSignal.ARVALID);
            if (arFires) {
                arTaken = request("read", AxiSignal.ARADDR, AxiSignal.ARLEN, AxiSignal.ARBEATS, AxiSignal.ARSIZE,
                        AxiSignal.ARBURST, AxiSignal.ARID, cycle, cycle + latency);
            }
            rFires = holding && p.high(AxiSignal.RREADY);
        }
        if (p.hasWrites()) {
            awFires = awReady && p.high(AxiSignal.AWVALID);
            if (awFires) {
                awTaken = request("write", AxiSignal.AWADDR, AxiSignal.AWLEN, AxiSignal.AWBEATS, AxiSignal.AWSIZE,
                        AxiSignal.AWBURST, AxiSignal.AWID, cycle, 0);
            }
            wFires = wReady && p.high(AxiSignal.WVALID);
            if (wFires) {
                long[] beat = new long[p.dataWords() + 1];
                p.getData(AxiSignal.WDATA, beat);
                beat[beat.length - 1] = p.has(AxiSignal.WSTRB) ? p.get(AxiSignal.WSTRB, 0)
                        : dataBytes == 64 ? -1L : (1L << dataBytes) - 1;
                wTaken = beat;
            }
            bFires = holdingResp && p.high(AxiSignal.BREADY);
        }
    }

    private Burst request(String what, AxiSignal addrSig, AxiSignal lenSig, AxiSignal beatsSig, AxiSignal sizeSig,
                          AxiSignal burstSig, AxiSignal idSig, long cycle, long due) {
        long addr = p.get(addrSig, 0);
        int beats = p.has(lenSig) ? (int) p.get(lenSig, 0) + 1 : (int) p.get(beatsSig, 1);
        int size = 1 << p.get(sizeSig, Integer.numberOfTrailingZeros(dataBytes));
        if (beats == 0) {
            throw new IllegalStateException(p.name() + ": " + what + " burst of 0 beats at 0x" + Long.toHexString(addr)
                    + " (cycle " + cycle + ")");
        }
        if (alignedOnly && addr % dataBytes != 0) {
            throw new IllegalStateException(p.model().block() + ": misaligned " + what + " address 0x"
                    + Long.toHexString(addr) + " (cycle " + cycle + ")");
        }
        return new Burst(addr, beats, Math.min(size, dataBytes), (int) p.get(burstSig, 1), p.get(idSig, 0), due);
    }

    @Override
    public void afterEdge(long cycle) {
        if (arFires) {
            bursts.addLast(arTaken);
            readBursts++;
            maxInFlightSeen = Math.max(maxInFlightSeen, bursts.size());
        }
        if (rFires) {
            holding = false;
            bytesRead += rBytes;
            readErrors += rError ? 1 : 0;
            beatInBurst++;
            if (beatInBurst == bursts.peekFirst().beats) {
                bursts.removeFirst();
                beatInBurst = 0;
            }
        }
        if (bFires) {
            holdingResp = false;
            responses.removeFirst();
            writeResponses++;
        }
        if (awFires) {
            aws.addLast(awTaken);
            writeBursts++;
        }
        if (wFires) {
            wBeats.addLast(wTaken);
            writeBeats++;
        }
        // Apply the data beats that have their address.
        while (!aws.isEmpty() && !wBeats.isEmpty()) {
            Burst b = aws.peekFirst();
            int resp = write(b, b.beat(wBeatInBurst), wBeats.removeFirst());
            wWorst = Math.max(wWorst, resp);
            if (++wBeatInBurst == b.beats) {
                aws.removeFirst();
                writeErrors += wWorst != AxiResp.OKAY ? 1 : 0;
                responses.addLast(new long[] {wWorst, b.id, cycle + wrespLatency});
                wBeatInBurst = 0;
                wWorst = AxiResp.OKAY;
            }
        }
    }

    /** Applies a strobed beat unless it fails; returns its response code. */
    private int write(Burst b, long at, long[] beat) {
        long strb = beat[beat.length - 1];
        if (strb == 0) {
            return AxiResp.OKAY;
        }
        long base = at - at % dataBytes;
        int lo = Long.numberOfTrailingZeros(strb);
        int hi = 64 - Long.numberOfLeadingZeros(strb);
        if (base < 0 || base + hi > memory.byteSize()) {
            outOfRange++;
            return faults.outOfRange;
        }
        if (faults.writeFails(base + lo, hi - lo)) {
            return AxiResp.SLVERR;
        }
        if (strb == 0xFF && dataBytes == 8) {
            memory.set(LE_LONG, base, beat[0]);
        } else {
            for (int lane = lo; lane < hi; lane++) {
                if ((strb >>> lane & 1) != 0) {
                    memory.set(ValueLayout.JAVA_BYTE, base + lane, (byte) (beat[lane >>> 3] >>> 8 * (lane & 7)));
                }
            }
        }
        bytesWritten += Long.bitCount(strb);
        return AxiResp.OKAY;
    }

    /**
     * For a block that reports completions of its writes (a DMA engine): a completion taken at
     * the edge of {@code cycle} that covers the first {@code writes} writes must come after all
     * their responses were delivered (at earlier edges).
     *
     * @throws ProtocolViolation when it overtook one of them
     */
    public void checkCompletion(String what, long writes, long cycle) {
        if (writeResponses < writes) {
            throw new ProtocolViolation(p.model().block() + " on " + p.model().backend() + ": " + what
                    + " completed before the response to its last write: " + writeResponses + " of " + writes
                    + " write responses delivered, " + writeBeats + " writes accepted", cycle);
        }
    }

    /** Bytes returned on R (a beat's size each, errors included). */
    public long bytesRead() {
        return bytesRead;
    }

    /** Bytes written (strobed bytes of accepted beats that did not fail). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** The most read bursts in flight (accepted, not fully returned) at once. */
    public int maxReadsInFlight() {
        return maxInFlightSeen;
    }

    /** Read bursts accepted. */
    public long readBursts() {
        return readBursts;
    }

    /** Write bursts (addresses) accepted. */
    public long writeBursts() {
        return writeBursts;
    }

    /** Write beats accepted. */
    public long writeBeats() {
        return writeBeats;
    }

    /** Write responses delivered. */
    public long writeResponses() {
        return writeResponses;
    }

    /** Read beats delivered with an error response. */
    public long readErrors() {
        return readErrors;
    }

    /** Write bursts answered with an error response. */
    public long writeErrors() {
        return writeErrors;
    }

    /** Beats (read or write) that fell outside the segment, answered {@link Faults#outOfRange}. */
    public long outOfRange() {
        return outOfRange;
    }

    /** Whether every read burst was fully returned and every write answered. */
    public boolean idle() {
        return bursts.isEmpty() && !holding && responses.isEmpty() && aws.isEmpty() && wBeats.isEmpty()
                && !holdingResp;
    }
}
