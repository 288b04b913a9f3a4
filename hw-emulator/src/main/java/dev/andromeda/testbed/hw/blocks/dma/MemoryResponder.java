package dev.andromeda.testbed.hw.blocks.dma;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.BusAgent;
import dev.andromeda.testbed.hw.driver.Channel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Serves a block's memory master port -- read bursts on {@code m_rd}, their
 * data on {@code s_rdata}, posted writes on {@code m_wr} -- from host memory
 * (a {@link MemorySegment}; a bus address is an offset into it).
 *
 * <ul>
 *   <li>Reads: a burst accepted at the edge of cycle {@code t} has its first
 *       beat offered no earlier than cycle {@code t + max(1, latency)}; its
 *       beats follow in order, bursts in request order, {@code last} on each
 *       burst's final beat. At most {@code maxReadsInFlight} bursts are
 *       accepted and not fully returned; at the limit {@code m_rd_ready} is low.
 *       Memory is read when a beat is offered.</li>
 *   <li>Writes: applied to memory, strobed bytes only, when accepted.</li>
 *   <li>Seeded random idle cycles on {@code s_rdata} (valid withheld with a
 *       beat due) and back-pressure on {@code m_rd} and {@code m_wr} (ready low).</li>
 *   <li>An access outside the segment or a misaligned address throws
 *       {@link IllegalStateException} naming it and the cycle.</li>
 * </ul>
 * Add it to a {@link dev.andromeda.testbed.hw.driver.Testbench} before the
 * protocol checkers of the three channels.
 */
public final class MemoryResponder implements BusAgent {
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final HardwareModel model;
    private final MemorySegment memory;
    private final Channel rd;
    private final Channel rdata;
    private final Channel wr;
    private final int latency;
    private final int maxReadsInFlight;
    private final double idleProbability;
    private final double backpressure;
    private final SplittableRandom rdRandom;
    private final SplittableRandom rdataRandom;
    private final SplittableRandom wrRandom;

    /** Accepted bursts not yet fully returned: {address, beats, cycle its first beat may go}. */
    private final ArrayDeque<long[]> bursts = new ArrayDeque<>();
    private int beatInBurst;
    private boolean holding;
    private boolean rdFires;
    private boolean rdataFires;
    private boolean wrFires;
    private long rdAddr;
    private long rdBeats;
    private long wrAddr;
    private long wrData;
    private long wrStrb;

    private long bytesRead;
    private long bytesWritten;
    private int maxInFlightSeen;
    private long readBursts;
    private long writeBeats;

    /**
     * @param latency          cycles from a read burst accepted to its first beat offered (0 acts as 1)
     * @param maxReadsInFlight bursts accepted and not fully returned, at most
     * @param idleProbability  chance, each cycle a read beat is due, of withholding it
     * @param backpressure     chance, each cycle, of ready low on m_rd and (independently) on m_wr
     */
    public MemoryResponder(HardwareModel model, MemorySegment memory, long seed, int latency, int maxReadsInFlight,
                           double idleProbability, double backpressure) {
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
        this.latency = Math.max(1, latency);
        this.maxReadsInFlight = maxReadsInFlight;
        this.idleProbability = idleProbability;
        this.backpressure = backpressure;
        SplittableRandom r = new SplittableRandom(seed);
        this.rdRandom = r.split();
        this.rdataRandom = r.split();
        this.wrRandom = r.split();
    }

    public static Channel readChannel(HardwareModel model) {
        return Channel.of(model, "m_rd", "m_rd_valid", "m_rd_ready", "m_rd_addr", "m_rd_beats");
    }

    public static Channel readDataChannel(HardwareModel model) {
        return Channel.of(model, "s_rdata", "s_rdata_valid", "s_rdata_ready", "s_rdata_data", "s_rdata_last");
    }

    public static Channel writeChannel(HardwareModel model) {
        return Channel.of(model, "m_wr", "m_wr_valid", "m_wr_ready", "m_wr_addr", "m_wr_data", "m_wr_strb");
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
            check("read", rdAddr, 8 * rdBeats, cycle);
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
                long at = head[0] + 8L * beatInBurst;
                model.set(rdata.fields()[0], memory.get(LE_LONG, at));
                model.set(rdata.fields()[1], beatInBurst == head[1] - 1 ? 1 : 0);
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
            wrData = model.get(wr.fields()[1]);
            wrStrb = model.get(wr.fields()[2]);
            check("write", wrAddr, 8, cycle);
        }
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
            bytesRead += 8;
            beatInBurst++;
            if (beatInBurst == bursts.peekFirst()[1]) {
                bursts.removeFirst();
                beatInBurst = 0;
            }
        }
        if (wrFires) {
            if (wrStrb == 0xFF) {
                memory.set(LE_LONG, wrAddr, wrData);
            } else {
                for (int lane = 0; lane < 8; lane++) {
                    if ((wrStrb >>> lane & 1) != 0) {
                        memory.set(ValueLayout.JAVA_BYTE, wrAddr + lane, (byte) (wrData >>> (8 * lane)));
                    }
                }
            }
            bytesWritten += Long.bitCount(wrStrb);
            writeBeats++;
        }
    }

    private void check(String what, long addr, long bytes, long cycle) {
        if ((addr & 7) != 0) {
            throw new IllegalStateException(model.block() + ": misaligned " + what + " address 0x"
                    + Long.toHexString(addr) + " (cycle " + cycle + ")");
        }
        if (addr < 0 || addr + bytes > memory.byteSize()) {
            throw new IllegalStateException(model.block() + ": " + what + " of " + bytes + " bytes at 0x"
                    + Long.toHexString(addr) + " is outside the " + memory.byteSize() + "-byte memory (cycle "
                    + cycle + ")");
        }
    }

    /** Bytes returned on s_rdata (8 a beat). */
    public long bytesRead() {
        return bytesRead;
    }

    /** Bytes written (strobed bytes of accepted writes). */
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

    /** Write beats accepted. */
    public long writeBeats() {
        return writeBeats;
    }

    /** Whether every read burst was fully returned. */
    public boolean idle() {
        return bursts.isEmpty() && !holding;
    }
}
