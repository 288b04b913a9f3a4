package dev.andromeda.testbed.hw.driver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches an AXI4 or AXI4-Lite interface ({@link AxiPorts}), whichever side the model is on,
 * and throws {@link ProtocolViolation} naming the channel, the rule and the cycle when:
 * <ul>
 *   <li>a valid drops before its handshake, or a payload changes while valid is high and
 *       ready low (every channel, through a {@link StreamProtocolChecker} each);</li>
 *   <li>{@code rvalid} is high with no read of that ID outstanding, {@code bvalid} with no
 *       write whose address and last data beat were taken at an earlier edge (no response
 *       without a request);</li>
 *   <li>{@code rlast} is not on exactly the last beat of its burst, {@code wlast} not on
 *       exactly the {@code AWLEN + 1}-th beat, a W burst taken before its address has another
 *       length (burst length honoured);</li>
 *   <li>a burst has 0 beats or more than AXI allows (256 INCR, 16 FIXED, WRAP 2/4/8/16),
 *       {@code AxBURST} is the reserved 3, {@code AxSIZE} exceeds the data width, an INCR
 *       burst crosses a 4 KiB boundary, a WRAP burst's address is not aligned to its size;</li>
 *   <li>a response is EXOKAY (there is no exclusive access without {@code AxLOCK}).</li>
 * </ul>
 * Bursts are answered in order per ID (AXI4 lets different IDs interleave; this checker
 * accepts that). It reads in {@link #sample}, after every agent drove, and counts what moved.
 */
public final class AxiProtocolChecker implements BusAgent {
    private static final int INCR = 1;
    private static final int FIXED = 0;
    private static final int WRAP = 2;

    private final AxiPorts p;
    private final String name;
    private final List<StreamProtocolChecker> channels = new ArrayList<>();
    private final boolean wlast;
    private final boolean rlast;
    /** Per ID: beats of each read burst taken and not fully answered; [0] beats, [1] answered. */
    private final Map<Long, ArrayDeque<int[]>> reads = new HashMap<>();
    /** AWs taken whose data is not complete: {id, beats}. */
    private final ArrayDeque<long[]> aws = new ArrayDeque<>();
    /** W bursts complete before their AW came: their beat counts. */
    private final ArrayDeque<Integer> earlyW = new ArrayDeque<>();
    /** Per ID: writes with address and data taken, not yet answered. */
    private final Map<Long, Integer> awaitingB = new HashMap<>();
    private int wBeat;
    private long readBursts;
    private long readBeats;
    private long writeBursts;
    private long writeBeats;
    private long responses;

    public AxiProtocolChecker(AxiPorts ports) {
        this.p = ports;
        this.name = ports.name();
        for (Channel c : ports.channels()) {
            channels.add(new StreamProtocolChecker(ports.model(), c));
        }
        this.wlast = ports.has(AxiSignal.WLAST) && !ports.isLite();
        this.rlast = ports.has(AxiSignal.RLAST) && !ports.isLite();
    }

    @Override
    public void beforeEdge(long cycle) {
    }

    @Override
    public void sample(long cycle) {
        for (StreamProtocolChecker c : channels) {
            c.sample(cycle);
        }
        if (p.hasReads()) {
            sampleReads(cycle);
        }
        if (p.hasWrites()) {
            sampleWrites(cycle);
        }
    }

    private void sampleReads(long cycle) {
        // Responses first: against what was requested at earlier edges.
        if (p.high(AxiSignal.RVALID)) {
            long id = p.get(AxiSignal.RID, 0);
            ArrayDeque<int[]> q = reads.get(id);
            if (q == null || q.isEmpty()) {
                throw new ProtocolViolation(name + " R: rvalid with no read outstanding"
                        + (p.has(AxiSignal.RID) ? " for rid " + id : ""), cycle);
            }
            resp("R", p.get(AxiSignal.RRESP, AxiResp.OKAY), cycle);
            if (p.high(AxiSignal.RREADY)) {
                int[] burst = q.peekFirst();
                burst[1]++;
                boolean lastBeat = burst[1] == burst[0];
                if (rlast && (p.get(AxiSignal.RLAST, 0) != 0) != lastBeat) {
                    throw new ProtocolViolation(name + " R: " + (lastBeat ? "no rlast on the last beat"
                            : "rlast on beat " + burst[1]) + " of a " + burst[0] + "-beat burst", cycle);
                }
                if (lastBeat) {
                    q.removeFirst();
                    responses++;
                }
                readBeats++;
            }
        }
        if (p.high(AxiSignal.ARVALID) && p.high(AxiSignal.ARREADY)) {
            int beats = burst("AR", AxiSignal.ARADDR, AxiSignal.ARLEN, AxiSignal.ARBEATS, AxiSignal.ARSIZE,
                    AxiSignal.ARBURST, cycle);
            reads.computeIfAbsent(p.get(AxiSignal.ARID, 0), k -> new ArrayDeque<>()).addLast(new int[] {beats, 0});
            readBursts++;
        }
    }

    private void sampleWrites(long cycle) {
        if (p.high(AxiSignal.BVALID)) {
            long id = p.get(AxiSignal.BID, 0);
            int waiting = awaitingB.getOrDefault(id, 0);
            if (waiting == 0) {
                throw new ProtocolViolation(name + " B: bvalid with no write whose address and last data beat"
                        + " were taken before" + (p.has(AxiSignal.BID) ? " (bid " + id + ")" : ""), cycle);
            }
            resp("B", p.get(AxiSignal.BRESP, AxiResp.OKAY), cycle);
            if (p.high(AxiSignal.BREADY)) {
                awaitingB.put(id, waiting - 1);
                responses++;
            }
        }
        // Address before data when both move at this edge: they pair up either way.
        int completed = 0;
        long completedId = 0;
        if (p.high(AxiSignal.AWVALID) && p.high(AxiSignal.AWREADY)) {
            int beats = burst("AW", AxiSignal.AWADDR, AxiSignal.AWLEN, AxiSignal.AWBEATS, AxiSignal.AWSIZE,
                    AxiSignal.AWBURST, cycle);
            long id = p.get(AxiSignal.AWID, 0);
            writeBursts++;
            if (!earlyW.isEmpty()) {
                int had = earlyW.removeFirst();
                if (had != beats) {
                    throw new ProtocolViolation(name + " AW: a " + beats + "-beat burst whose data came first with "
                            + had + " beats (wlast)", cycle);
                }
                completed++;
                completedId = id;
            } else {
                aws.addLast(new long[] {id, beats});
            }
        }
        if (p.high(AxiSignal.WVALID) && p.high(AxiSignal.WREADY)) {
            writeBeats++;
            wBeat++;
            boolean last = p.get(AxiSignal.WLAST, 1) != 0;
            long[] aw = aws.peekFirst();
            if (aw != null) {
                boolean lastBeat = wBeat == aw[1];
                if (wlast && last != lastBeat) {
                    throw new ProtocolViolation(name + " W: " + (lastBeat ? "no wlast on the last beat"
                            : "wlast on beat " + wBeat) + " of a " + aw[1] + "-beat burst", cycle);
                }
                if (lastBeat) {
                    aws.removeFirst();
                    wBeat = 0;
                    completed++;
                    completedId = aw[0];
                }
            } else if (!wlast || last) {
                earlyW.addLast(wBeat);
                wBeat = 0;
            } else if (wBeat > 256) {
                throw new ProtocolViolation(name + " W: more than 256 beats without wlast", cycle);
            }
        }
        if (completed > 0) {
            awaitingB.merge(completedId, completed, Integer::sum);
        }
    }

    /** Checks a burst request; returns its beats. */
    private int burst(String ch, AxiSignal addrSig, AxiSignal lenSig, AxiSignal beatsSig, AxiSignal sizeSig,
                      AxiSignal burstSig, long cycle) {
        long addr = p.get(addrSig, 0);
        int beats = p.has(lenSig) ? (int) p.get(lenSig, 0) + 1 : (int) p.get(beatsSig, 1);
        int size = (int) p.get(sizeSig, Integer.numberOfTrailingZeros(p.dataBytes()));
        int type = (int) p.get(burstSig, INCR);
        String at = ch + ": burst at 0x" + Long.toHexString(addr) + " of " + beats + " beats";
        if (beats < 1) {
            throw new ProtocolViolation(name + " " + at, cycle);
        }
        if (type == 3) {
            throw new ProtocolViolation(name + " " + at + ": burst type 3 is reserved", cycle);
        }
        long bytes = 1L << size;
        if (bytes > p.dataBytes()) {
            throw new ProtocolViolation(name + " " + at + ": size " + size + " (" + bytes + " B) is wider than the "
                    + p.dataBytes() + "-byte data bus", cycle);
        }
        if (type == INCR && beats > 256 || type == FIXED && beats > 16) {
            throw new ProtocolViolation(name + " " + at + ": too long for " + (type == INCR ? "INCR" : "FIXED"), cycle);
        }
        if (type == WRAP && (beats != 2 && beats != 4 && beats != 8 && beats != 16 || (addr & (bytes - 1)) != 0)) {
            throw new ProtocolViolation(name + " " + at + ": WRAP needs 2, 4, 8 or 16 beats at an address aligned"
                    + " to its size", cycle);
        }
        if (type == INCR) {
            long end = (addr & -bytes) + beats * bytes - 1;
            if (end >>> 12 != addr >>> 12) {
                throw new ProtocolViolation(name + " " + at + " (" + bytes + " B each) crosses a 4 KiB boundary",
                        cycle);
            }
        }
        return beats;
    }

    private void resp(String ch, long resp, long cycle) {
        if (resp == AxiResp.EXOKAY) {
            throw new ProtocolViolation(name + " " + ch + ": EXOKAY without an exclusive access", cycle);
        }
    }

    /** Read bursts requested. */
    public long readBursts() {
        return readBursts;
    }

    /** Read data beats taken. */
    public long readBeats() {
        return readBeats;
    }

    /** Write bursts requested. */
    public long writeBursts() {
        return writeBursts;
    }

    /** Write data beats taken. */
    public long writeBeats() {
        return writeBeats;
    }

    /** Read bursts completed and write responses taken. */
    public long responses() {
        return responses;
    }

    /** Whether every request was answered. */
    public boolean quiet() {
        return aws.isEmpty() && earlyW.isEmpty() && wBeat == 0
                && reads.values().stream().allMatch(ArrayDeque::isEmpty)
                && awaitingB.values().stream().allMatch(n -> n == 0);
    }
}
