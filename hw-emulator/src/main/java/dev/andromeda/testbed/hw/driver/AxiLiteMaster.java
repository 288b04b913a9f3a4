package dev.andromeda.testbed.hw.driver;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Reads and writes registers of a model's AXI4-Lite slave port, one access at a time, in the
 * order asked. A write drives AW and W independently (each goes valid after its own seeded
 * random idle cycles, so a slave sees address before data, data before address, or both at
 * once), then takes B; a read drives AR, then takes R. {@code bready}/{@code rready} have
 * seeded random back-pressure. Against a full AXI4 slave it issues one-beat INCR bursts
 * ({@code AxLEN} 0, {@code AxSIZE} the data width, {@code WLAST} 1) where those ports exist.
 *
 * <p>Waits are bounded: a valid not taken, or a response not given, within
 * {@link #timeout(long)} cycles (default {@value #DEFAULT_TIMEOUT}) throws
 * {@link IllegalStateException} naming the channel, the access and the cycle the wait began.
 * A response nobody asked for throws {@link ProtocolViolation}.
 *
 * <p>{@link #write}/{@link #read} block: they run the clock given at construction until the
 * answer, and throw {@link AxiResponseError} on SLVERR/DECERR; {@link #post} queues an access
 * and returns at once (for a test that runs the cycles itself).
 */
public final class AxiLiteMaster implements BusAgent {
    public static final long DEFAULT_TIMEOUT = 1000;

    /** One access; {@link #done()} once its response arrived. */
    public static final class Access {
        private final boolean write;
        private final long address;
        private final long data;
        private final long strb;
        private boolean done;
        private int resp;
        private long readData;
        private long cycle = -1;

        private Access(boolean write, long address, long data, long strb) {
            this.write = write;
            this.address = address;
            this.data = data;
            this.strb = strb;
        }

        public boolean isWrite() {
            return write;
        }

        public long address() {
            return address;
        }

        public boolean done() {
            return done;
        }

        /** The response code (valid once done). */
        public int resp() {
            return resp;
        }

        /** The data read (valid once a read is done). */
        public long data() {
            return readData;
        }

        /** The cycle its response was taken. */
        public long cycle() {
            return cycle;
        }

        @Override
        public String toString() {
            return (write ? "write 0x" + Long.toHexString(data) + " to " : "read of ") + "0x" + Long.toHexString(address);
        }
    }

    private final AxiPorts ports;
    private final Runnable clock;
    private final SplittableRandom random;
    private final double idle;
    private final double backpressure;
    private final ArrayDeque<Access> queue = new ArrayDeque<>();
    private final long allStrobes;
    private final long dataMask;
    private final long addrMask;
    private long timeout = DEFAULT_TIMEOUT;

    private Access current;
    private boolean awOn;
    private boolean wOn;
    private boolean arOn;
    private boolean awDone;
    private boolean wDone;
    private boolean arDone;
    private long awSince;
    private long wSince;
    private long arSince;
    private long answerSince;
    private boolean bReady;
    private boolean rReady;
    private boolean awFire;
    private boolean wFire;
    private boolean arFire;
    private boolean bFire;
    private boolean rFire;
    private long firedResp;
    private long firedData;
    private long writes;
    private long reads;
    private long errors;

    /**
     * @param ports        a slave port of the model ({@link AxiPorts#bind(dev.andromeda.testbed.hw.HardwareModel, String)})
     * @param idle         chance per cycle that AW, W or AR, due, is not yet offered
     * @param backpressure chance per cycle of {@code bready}/{@code rready} low
     * @param clock        runs one cycle of the testbench this master is in (for {@link #write}/{@link #read}); may be null
     */
    public AxiLiteMaster(AxiPorts ports, long seed, double idle, double backpressure, Runnable clock) {
        if (ports.modelIsMaster()) {
            throw new IllegalArgumentException(ports.name() + " is a master port of " + ports.model().block()
                    + "; an AXI4-Lite master drives a slave port (a memory serves a master: AxiMemory)");
        }
        if (ports.dataBytes() > 8) {
            throw new IllegalArgumentException(ports.name() + ": data is " + 8 * ports.dataBytes()
                    + " bits; an AXI4-Lite master moves 32 or 64");
        }
        if (idle < 0 || idle >= 1 || backpressure < 0 || backpressure >= 1) {
            throw new IllegalArgumentException("idle and backpressure must be in [0, 1): " + idle + ", " + backpressure);
        }
        this.ports = ports;
        this.clock = clock;
        this.random = new SplittableRandom(seed);
        this.idle = idle;
        this.backpressure = backpressure;
        this.allStrobes = ports.dataBytes() == 8 ? 0xFF : (1L << ports.dataBytes()) - 1;
        this.dataMask = ports.dataBytes() == 8 ? -1L : (1L << (8 * ports.dataBytes())) - 1;
        int aw = ports.width(ports.hasWrites() ? AxiSignal.AWADDR : AxiSignal.ARADDR);
        this.addrMask = aw >= 64 ? -1L : (1L << aw) - 1;
        idleBus();
    }

    /** Cycles a valid may wait for ready, or a request for its response, before the access fails. */
    public AxiLiteMaster timeout(long cycles) {
        if (cycles < 1) {
            throw new IllegalArgumentException("timeout must be >= 1 cycle: " + cycles);
        }
        timeout = cycles;
        return this;
    }

    public AxiPorts ports() {
        return ports;
    }

    /** Writes a register; throws {@link AxiResponseError} on SLVERR/DECERR. */
    public void write(long address, long value) {
        Access a = await(post(true, address, value, allStrobes));
        if (a.resp != AxiResp.OKAY) {
            throw new AxiResponseError(ports.name(), true, address, a.resp, a.cycle);
        }
    }

    /** Reads a register; throws {@link AxiResponseError} on SLVERR/DECERR. */
    public long read(long address) {
        Access a = await(post(false, address, 0, 0));
        if (a.resp != AxiResp.OKAY) {
            throw new AxiResponseError(ports.name(), false, address, a.resp, a.cycle);
        }
        return a.readData;
    }

    /** Writes the strobed bytes and returns the response code, whatever it is. */
    public int writeResponse(long address, long value, long strobes) {
        return await(post(true, address, value, strobes)).resp;
    }

    /** Reads and returns the finished access (its code and data), whatever the code. */
    public Access readResponse(long address) {
        return await(post(false, address, 0, 0));
    }

    /** Queues a write of every byte. */
    public Access postWrite(long address, long value) {
        return post(true, address, value, allStrobes);
    }

    /** Queues a read. */
    public Access postRead(long address) {
        return post(false, address, 0, 0);
    }

    /**
     * Queues an access; it goes once those before it are answered.
     *
     * @throws IllegalArgumentException when the address, value or strobes do not fit the port
     */
    public Access post(boolean write, long address, long value, long strobes) {
        if (write ? !ports.hasWrites() : !ports.hasReads()) {
            throw new IllegalArgumentException(ports.name() + " has no " + (write ? "write" : "read") + " channels");
        }
        if ((address & ~addrMask) != 0) {
            throw new IllegalArgumentException(ports.name() + ": address 0x" + Long.toHexString(address)
                    + " does not fit " + Long.bitCount(addrMask) + " address bits");
        }
        if (write && (value & ~dataMask) != 0) {
            throw new IllegalArgumentException(ports.name() + ": value 0x" + Long.toHexString(value) + " does not fit "
                    + 8 * ports.dataBytes() + " data bits");
        }
        if (write && (strobes & ~allStrobes) != 0) {
            throw new IllegalArgumentException(ports.name() + ": strobes 0x" + Long.toHexString(strobes)
                    + " do not fit " + ports.dataBytes() + " bytes");
        }
        Access a = new Access(write, address, value, strobes);
        queue.addLast(a);
        return a;
    }

    private Access await(Access a) {
        if (clock == null) {
            throw new IllegalStateException(ports.name() + ": this master has no clock; post() and run the testbench");
        }
        // The timeouts above end a hang; this bound only guards against a clock that does not run this agent.
        long guard = (queue.size() + 2L) * (4 * timeout + 64);
        for (long i = 0; !a.done; i++) {
            if (i > guard) {
                throw new IllegalStateException(ports.name() + ": " + a + " not answered after " + guard
                        + " cycles of the clock given (is this master in its testbench?)");
            }
            clock.run();
        }
        return a;
    }

    /** Whether every access queued was answered. */
    public boolean idle() {
        return current == null && queue.isEmpty();
    }

    public long writes() {
        return writes;
    }

    public long reads() {
        return reads;
    }

    /** Accesses answered SLVERR or DECERR. */
    public long errors() {
        return errors;
    }

    @Override
    public void beforeEdge(long cycle) {
        if (current == null && !queue.isEmpty()) {
            start(queue.pollFirst());
        }
        Access a = current;
        if (a != null && a.write) {
            if (!awDone && !awOn && (idle == 0 || random.nextDouble() >= idle)) {
                awOn = true;
                awSince = cycle;
            }
            if (!wDone && !wOn && (idle == 0 || random.nextDouble() >= idle)) {
                wOn = true;
                wSince = cycle;
            }
        } else if (a != null && !arDone && !arOn && (idle == 0 || random.nextDouble() >= idle)) {
            arOn = true;
            arSince = cycle;
        }
        if (ports.hasWrites()) {
            ports.set(AxiSignal.AWVALID, awOn ? 1 : 0);
            ports.set(AxiSignal.WVALID, wOn ? 1 : 0);
            bReady = backpressure == 0 || random.nextDouble() >= backpressure;
            ports.set(AxiSignal.BREADY, bReady ? 1 : 0);
        }
        if (ports.hasReads()) {
            ports.set(AxiSignal.ARVALID, arOn ? 1 : 0);
            rReady = backpressure == 0 || random.nextDouble() >= backpressure;
            ports.set(AxiSignal.RREADY, rReady ? 1 : 0);
        }
    }

    private void start(Access a) {
        current = a;
        awDone = wDone = arDone = false;
        if (a.write) {
            ports.set(AxiSignal.AWADDR, a.address);
            ports.set(AxiSignal.AWPROT, 0);
            ports.set(AxiSignal.AWLEN, 0);
            ports.set(AxiSignal.AWBEATS, 1);
            ports.set(AxiSignal.AWSIZE, Integer.numberOfTrailingZeros(ports.dataBytes()));
            ports.set(AxiSignal.AWBURST, 1);
            ports.set(AxiSignal.AWID, 0);
            ports.set(AxiSignal.WDATA, a.data);
            ports.set(AxiSignal.WSTRB, a.strb);
            ports.set(AxiSignal.WLAST, 1);
        } else {
            ports.set(AxiSignal.ARADDR, a.address);
            ports.set(AxiSignal.ARPROT, 0);
            ports.set(AxiSignal.ARLEN, 0);
            ports.set(AxiSignal.ARBEATS, 1);
            ports.set(AxiSignal.ARSIZE, Integer.numberOfTrailingZeros(ports.dataBytes()));
            ports.set(AxiSignal.ARBURST, 1);
            ports.set(AxiSignal.ARID, 0);
        }
    }

    private void idleBus() {
        ports.set(AxiSignal.AWVALID, 0);
        ports.set(AxiSignal.WVALID, 0);
        ports.set(AxiSignal.BREADY, 0);
        ports.set(AxiSignal.ARVALID, 0);
        ports.set(AxiSignal.RREADY, 0);
    }

    @Override
    public void sample(long cycle) {
        awFire = awOn && ports.high(AxiSignal.AWREADY);
        wFire = wOn && ports.high(AxiSignal.WREADY);
        arFire = arOn && ports.high(AxiSignal.ARREADY);
        bFire = ports.hasWrites() && bReady && ports.high(AxiSignal.BVALID);
        rFire = ports.hasReads() && rReady && ports.high(AxiSignal.RVALID);
        if (bFire) {
            firedResp = ports.get(AxiSignal.BRESP, AxiResp.OKAY);
        }
        if (rFire) {
            firedResp = ports.get(AxiSignal.RRESP, AxiResp.OKAY);
            firedData = ports.get(AxiSignal.RDATA, 0) & dataMask;
        }
    }

    @Override
    public void afterEdge(long cycle) {
        Access a = current;
        if (awFire) {
            awOn = false;
            awDone = true;
        }
        if (wFire) {
            wOn = false;
            wDone = true;
        }
        if (arFire) {
            arOn = false;
            arDone = true;
        }
        if ((awFire || wFire) && awDone && wDone || arFire) {
            answerSince = cycle + 1;
        }
        if (bFire) {
            if (a == null || !a.write || !(awDone && wDone)) {
                throw new ProtocolViolation(ports.name() + " B: write response with no write whose address and data"
                        + " were both taken", cycle);
            }
            if (awFire || wFire) {
                throw new ProtocolViolation(ports.name() + " B: write response in the cycle the write's "
                        + (awFire ? "address" : "data") + " was taken (it must follow it)", cycle);
            }
            finish(a, cycle);
            writes++;
        }
        if (rFire) {
            if (a == null || a.write || !arDone || arFire) {
                throw new ProtocolViolation(ports.name() + " R: read data with no read address taken before it",
                        cycle);
            }
            a.readData = firedData;
            finish(a, cycle);
            reads++;
        }
        if (current != null) {
            checkWaits(current, cycle + 1);
        }
    }

    private void finish(Access a, long cycle) {
        a.resp = (int) firedResp;
        a.cycle = cycle;
        a.done = true;
        errors += a.resp >= AxiResp.SLVERR ? 1 : 0;
        current = null;
    }

    private void checkWaits(Access a, long now) {
        if (awOn && now - awSince >= timeout) {
            hang("AW", "awvalid high without awready", a, awSince, now);
        }
        if (wOn && now - wSince >= timeout) {
            hang("W", "wvalid high without wready", a, wSince, now);
        }
        if (arOn && now - arSince >= timeout) {
            hang("AR", "arvalid high without arready", a, arSince, now);
        }
        if (a.write && awDone && wDone && now - answerSince >= timeout) {
            hang("B", "no write response after address and data were taken", a, answerSince, now);
        }
        if (!a.write && arDone && now - answerSince >= timeout) {
            hang("R", "no read data after the address was taken", a, answerSince, now);
        }
    }

    private void hang(String channel, String what, Access a, long since, long now) {
        throw new IllegalStateException(ports.name() + " " + channel + ": " + what + " for " + (now - since)
                + " cycles, since cycle " + since + " (" + a + "; the slave never answered)");
    }
}
