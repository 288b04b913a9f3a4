package dev.andromeda.testbed.hw.blocks.dma;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.BeatBytes;
import dev.andromeda.testbed.hw.driver.BusAgent;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.hw.driver.ProtocolViolation;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Serves a block's memory master port -- read bursts on {@code m_rd}, their
 * data with a response code on {@code s_rdata}, writes on {@code m_wr} and
 * their responses on {@code s_wresp} -- from host memory (a
 * {@link MemorySegment}; a bus address is an offset into it). Response codes
 * are AXI's: 0 OKAY, 2 SLVERR, 3 DECERR.
 *
 * <ul>
 *   <li>Reads: a burst accepted at the edge of cycle {@code t} has its first
 *       beat offered no earlier than cycle {@code t + max(1, latency)}; its
 *       beats follow in order, bursts in request order, {@code last} on each
 *       burst's final beat. At most {@code maxReadsInFlight} bursts are
 *       accepted and not fully returned; at the limit {@code m_rd_ready} is low.
 *       Memory is read when a beat is offered. A beat not wholly inside the
 *       segment answers DECERR, a beat touching a {@linkplain Faults#failReads
 *       failing read range} SLVERR; either carries random poison data.</li>
 *   <li>Writes: applied to memory, strobed bytes only, when accepted -- unless
 *       a strobed byte lies outside the segment (DECERR) or in a
 *       {@linkplain Faults#failWrites failing write range} (SLVERR): such a
 *       write changes nothing. Each write is answered on {@code s_wresp}, in
 *       order, no earlier than {@link Faults#writeResponseLatency} cycles
 *       after it was accepted.</li>
 *   <li>Seeded random idle cycles on {@code s_rdata} and {@code s_wresp}
 *       (valid withheld with a beat due) and back-pressure on {@code m_rd} and
 *       {@code m_wr} (ready low).</li>
 *   <li>A misaligned address or an empty burst throws
 *       {@link IllegalStateException} naming it and the cycle.</li>
 *   <li>Completion checker: {@link #checkCompletion} fails (with a
 *       {@link ProtocolViolation}) when a completion is taken before the write
 *       responses of every write it covers were delivered.</li>
 * </ul>
 * A beat is as wide as the model's data ports: {@code m_wr_strb} has a bit a byte lane, so a
 * model built at any {@code DATA_WIDTH} (16..512) is served alike, addresses aligned to its
 * beat ({@link BeatBytes}).
 * Add it to a {@link dev.andromeda.testbed.hw.driver.Testbench} after the
 * completion sink and before the protocol checkers of its four channels.
 */
public final class MemoryResponder implements BusAgent {

    /**
     * Errors the memory injects, and its write-response latency. Ranges are byte offsets
     * {@code [from, to)} into the segment; accesses outside the segment always answer DECERR.
     */
    public static final class Faults {
        /** Cycles from a write accepted to its response offered, by default. */
        public static final int DEFAULT_WRITE_RESPONSE_LATENCY = 2;

        private final List<long[]> readRanges = new ArrayList<>();
        private final List<long[]> writeRanges = new ArrayList<>();
        private int writeResponseLatency = DEFAULT_WRITE_RESPONSE_LATENCY;

        /** No injected errors, the default write-response latency. */
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

        public int writeResponseLatency() {
            return Math.max(1, writeResponseLatency);
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

    private final HardwareModel model;
    private final MemorySegment memory;
    private final Channel rd;
    private final Channel rdata;
    private final Channel wr;
    private final Channel wresp;
    private final int latency;
    /** Bytes a data beat (DATA_WIDTH / 8), words a data beat, and the strobe of a full beat. */
    private final int beatBytes;
    private final int dataWords;
    private final long fullStrb;
    private final long[] rdataWords;
    private final long[] wrData;
    private final int maxReadsInFlight;
    private final double idleProbability;
    private final double backpressure;
    private final Faults faults;
    private final int wrespLatency;
    private final SplittableRandom rdRandom;
    private final SplittableRandom rdataRandom;
    private final SplittableRandom wrRandom;
    private final SplittableRandom wrespRandom;

    /** Accepted bursts not yet fully returned: {address, beats, cycle its first beat may go}. */
    private final ArrayDeque<long[]> bursts = new ArrayDeque<>();
    /** Accepted writes not yet answered: {response code, cycle its response may go}. */
    private final ArrayDeque<long[]> responses = new ArrayDeque<>();
    private int beatInBurst;
    private boolean holding;
    private boolean holdingResp;
    private boolean rdFires;
    private boolean rdataFires;
    private boolean rdataError;
    private boolean wrFires;
    private boolean wrespFires;
    private long rdAddr;
    private long rdBeats;
    private long wrAddr;
    private long wrStrb;

    private long bytesRead;
    private long bytesWritten;
    private int maxInFlightSeen;
    private long readBursts;
    private long writeBeats;
    private long writeResponses;
    private long readErrors;
    private long writeErrors;

    /** No injected errors. */
    public MemoryResponder(HardwareModel model, MemorySegment memory, long seed, int latency, int maxReadsInFlight,
                           double idleProbability, double backpressure) {
        this(model, memory, seed, latency, maxReadsInFlight, idleProbability, backpressure, Faults.none());
    }

    /**
     * @param latency          cycles from a read burst accepted to its first beat offered (0 acts as 1)
     * @param maxReadsInFlight bursts accepted and not fully returned, at most
     * @param idleProbability  chance, each cycle a read beat or write response is due, of withholding it
     * @param backpressure     chance, each cycle, of ready low on m_rd and (independently) on m_wr
     * @param faults           errors to inject and the write-response latency
     */
    public MemoryResponder(HardwareModel model, MemorySegment memory, long seed, int latency, int maxReadsInFlight,
                           double idleProbability, double backpressure, Faults faults) {
        if (latency < 0) {
            throw new IllegalArgumentException("latency must be >= 0: " + latency);
        }
        if (maxReadsInFlight < 1) {
            throw new IllegalArgumentException("maxReadsInFlight must be >= 1: " + maxReadsInFlight);
        }
        this.model = model;
        this.memory = memory;
        this.rd = readChannel(model);
        this.rdata = readDataChannel(model);
        this.wr = writeChannel(model);
        this.wresp = writeResponseChannel(model);
        this.beatBytes = model.ports().get(wr.fields()[2]).width();
        if (beatBytes > 64 || Integer.bitCount(beatBytes) != 1) {
            throw new IllegalArgumentException(model.block() + ": data beats of " + beatBytes
                    + " bytes; the responder serves powers of two up to 64 (DATA_WIDTH 512)");
        }
        this.dataWords = BeatBytes.words(beatBytes);
        this.fullStrb = beatBytes == 64 ? -1L : (1L << beatBytes) - 1;
        this.rdataWords = new long[dataWords];
        this.wrData = new long[dataWords];
        this.latency = Math.max(1, latency);
        this.maxReadsInFlight = maxReadsInFlight;
        this.idleProbability = idleProbability;
        this.backpressure = backpressure;
        this.faults = faults;
        this.wrespLatency = faults.writeResponseLatency();
        SplittableRandom r = new SplittableRandom(seed);
        this.rdRandom = r.split();
        this.rdataRandom = r.split();
        this.wrRandom = r.split();
        this.wrespRandom = r.split();
    }

    public static Channel readChannel(HardwareModel model) {
        return Channel.of(model, "m_rd", "m_rd_valid", "m_rd_ready", "m_rd_addr", "m_rd_beats");
    }

    public static Channel readDataChannel(HardwareModel model) {
        return Channel.of(model, "s_rdata", "s_rdata_valid", "s_rdata_ready", "s_rdata_data", "s_rdata_resp",
                "s_rdata_last");
    }

    public static Channel writeChannel(HardwareModel model) {
        return Channel.of(model, "m_wr", "m_wr_valid", "m_wr_ready", "m_wr_addr", "m_wr_data", "m_wr_strb");
    }

    public static Channel writeResponseChannel(HardwareModel model) {
        return Channel.of(model, "s_wresp", "s_wresp_valid", "s_wresp_ready", "s_wresp_resp");
    }

    public Channel rd() {
        return rd;
    }

    public Channel rdata() {
        return rdata;
    }

    public Channel wr() {
        return wr;
    }

    public Channel wresp() {
        return wresp;
    }

    @Override
    public void beforeEdge(long cycle) {
        // Read requests.
        boolean rdReady = bursts.size() < maxReadsInFlight
                && (backpressure == 0 || rdRandom.nextDouble() >= backpressure);
        model.set(rd.ready(), rdReady ? 1 : 0);
        rdFires = rdReady && model.get(rd.valid()) != 0;
        if (rdFires) {
            rdAddr = model.get(rd.fields()[0]);
            rdBeats = model.get(rd.fields()[1]);
            aligned("read", rdAddr, cycle);
            if (rdBeats == 0) {
                throw new IllegalStateException("read burst of 0 beats at 0x" + Long.toHexString(rdAddr)
                        + " (cycle " + cycle + ")");
            }
        }

        // Read data.
        if (!holding) {
            long[] head = bursts.peekFirst();
            if (head != null && cycle >= head[2]
                    && (idleProbability == 0 || rdataRandom.nextDouble() >= idleProbability)) {
                long at = head[0] + (long) beatBytes * beatInBurst;
                int resp;
                if (at + beatBytes > memory.byteSize()) {
                    resp = DmaCopyModule.RESP_DECERR;
                    poison(rdataWords);
                } else if (faults.readFails(at, beatBytes)) {
                    resp = DmaCopyModule.RESP_SLVERR;
                    poison(rdataWords);
                } else {
                    resp = DmaCopyModule.RESP_OKAY;
                    BeatBytes.read(memory, at, beatBytes, beatBytes, rdataWords, 0);
                }
                rdataError = resp != DmaCopyModule.RESP_OKAY;
                if (dataWords == 1) {
                    model.set(rdata.fields()[0], rdataWords[0]);
                } else {
                    model.setWide(rdata.fields()[0], rdataWords);
                }
                model.set(rdata.fields()[1], resp);
                model.set(rdata.fields()[2], beatInBurst == head[1] - 1 ? 1 : 0);
                holding = true;
            }
        }
        model.set(rdata.valid(), holding ? 1 : 0);
        rdataFires = holding && model.get(rdata.ready()) != 0;

        // Writes.
        boolean wrReady = backpressure == 0 || wrRandom.nextDouble() >= backpressure;
        model.set(wr.ready(), wrReady ? 1 : 0);
        wrFires = wrReady && model.get(wr.valid()) != 0;
        if (wrFires) {
            wrAddr = model.get(wr.fields()[0]);
            if (dataWords == 1) {
                wrData[0] = model.get(wr.fields()[1]);
            } else {
                model.getWide(wr.fields()[1], wrData);
            }
            wrStrb = model.get(wr.fields()[2]);
            aligned("write", wrAddr, cycle);
        }

        // Write responses.
        if (!holdingResp) {
            long[] head = responses.peekFirst();
            if (head != null && cycle >= head[1]
                    && (idleProbability == 0 || wrespRandom.nextDouble() >= idleProbability)) {
                model.set(wresp.fields()[0], head[0]);
                holdingResp = true;
            }
        }
        model.set(wresp.valid(), holdingResp ? 1 : 0);
        wrespFires = holdingResp && model.get(wresp.ready()) != 0;
    }

    @Override
    public void afterEdge(long cycle) {
        if (rdFires) {
            bursts.addLast(new long[] {rdAddr, rdBeats, cycle + latency});
            readBursts++;
            maxInFlightSeen = Math.max(maxInFlightSeen, bursts.size());
        }
        if (rdataFires) {
            holding = false;
            bytesRead += beatBytes;
            readErrors += rdataError ? 1 : 0;
            beatInBurst++;
            if (beatInBurst == bursts.peekFirst()[1]) {
                bursts.removeFirst();
                beatInBurst = 0;
            }
        }
        if (wrespFires) {
            holdingResp = false;
            responses.removeFirst();
            writeResponses++;
        }
        if (wrFires) {
            int resp = write(wrAddr, wrData, wrStrb);
            writeErrors += resp != DmaCopyModule.RESP_OKAY ? 1 : 0;
            responses.addLast(new long[] {resp, cycle + wrespLatency});
            writeBeats++;
        }
    }

    /** Random data for a failed read beat. */
    private void poison(long[] words) {
        for (int i = 0; i < words.length; i++) {
            words[i] = rdataRandom.nextLong();
        }
    }

    /** Applies a strobed write unless it fails; returns its response code. */
    private int write(long at, long[] data, long strb) {
        if (strb == 0) {
            return DmaCopyModule.RESP_OKAY;
        }
        int lo = Long.numberOfTrailingZeros(strb);
        int hi = 64 - Long.numberOfLeadingZeros(strb);
        if (at + hi > memory.byteSize()) {
            return DmaCopyModule.RESP_DECERR;
        }
        if (faults.writeFails(at + lo, hi - lo)) {
            return DmaCopyModule.RESP_SLVERR;
        }
        if (strb == fullStrb) {
            BeatBytes.write(memory, at, beatBytes, data, 0);
        } else {
            for (int lane = 0; lane < beatBytes; lane++) {
                if ((strb >>> lane & 1) != 0) {
                    memory.set(ValueLayout.JAVA_BYTE, at + lane, BeatBytes.lane(data, 0, lane));
                }
            }
        }
        bytesWritten += Long.bitCount(strb);
        return DmaCopyModule.RESP_OKAY;
    }

    private void aligned(String what, long addr, long cycle) {
        if ((addr & (beatBytes - 1)) != 0) {
            throw new IllegalStateException(model.block() + ": misaligned " + what + " address 0x"
                    + Long.toHexString(addr) + " (cycle " + cycle + ")");
        }
    }

    /**
     * The completion checker: a completion taken at the edge of {@code cycle} that covers the first
     * {@code writes} writes must come after all their responses were delivered (at earlier edges).
     *
     * @throws ProtocolViolation when it overtook one of them
     */
    public void checkCompletion(String what, long writes, long cycle) {
        if (writeResponses < writes) {
            throw new ProtocolViolation(model.block() + " on " + model.backend() + ": " + what
                    + " completed before the response to its last write: " + writeResponses + " of " + writes
                    + " write responses delivered, " + writeBeats + " writes accepted", cycle);
        }
    }

    /** Bytes returned on s_rdata (a beat's DATA_WIDTH / 8, errors included). */
    public long bytesRead() {
        return bytesRead;
    }

    /** Bytes written (strobed bytes of accepted writes that did not fail). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** The most read bursts in flight (accepted, not fully returned) at once. */
    public int maxReadsInFlight() {
        return maxInFlightSeen;
    }

    /** Bytes a data beat: the model's DATA_WIDTH / 8. */
    public int beatBytes() {
        return beatBytes;
    }

    /** Read bursts accepted. */
    public long readBursts() {
        return readBursts;
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

    /** Writes answered with an error response. */
    public long writeErrors() {
        return writeErrors;
    }

    /** Whether every read burst was fully returned and every write answered. */
    public boolean idle() {
        return bursts.isEmpty() && !holding && responses.isEmpty();
    }
}
