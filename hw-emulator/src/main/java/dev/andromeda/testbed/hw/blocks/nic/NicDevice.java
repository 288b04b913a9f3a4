package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;
import dev.andromeda.testbed.hw.driver.AxiLiteMaster;
import dev.andromeda.testbed.hw.driver.AxiMemory;
import dev.andromeda.testbed.hw.driver.AxiPorts;
import dev.andromeda.testbed.hw.driver.AxiStream;
import dev.andromeda.testbed.hw.driver.AxiStreamSink;
import dev.andromeda.testbed.hw.driver.AxiStreamSource;
import dev.andromeda.testbed.hw.driver.BusAgent;
import dev.andromeda.testbed.hw.driver.Testbench;

import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

/**
 * A NIC model (any {@link HardwareModel} with the NIC's ports: the kit model here, a
 * Verilated one later) wired into its surroundings: host memory served by a
 * {@link AxiMemory} (on dma_copy's port map, {@link DmaCopyDriver#memory}) over the host's own {@link MemorySegment} (bus address = offset
 * into it; nothing is copied), the register port driven by an {@link AxiLiteMaster}, and
 * the wire -- frames out collected by an {@link AxiStreamSink}, frames in offered by an
 * {@link AxiStreamSource}, or both ends joined to another NIC ({@link #pair}).
 */
public final class NicDevice implements AutoCloseable {
    /**
     * The environment's timing: memory latency and reads in flight, seeded random idle
     * cycles and back-pressure on the memory and the wire.
     */
    public record Timing(long seed, int memoryLatency, int readsInFlight, double memoryIdle,
                         double memoryBackpressure, double wireIdle, double wireBackpressure) {
        /** No random stalls: what the fast path runs. */
        public static Timing steady(int memoryLatency) {
            return new Timing(0, memoryLatency, 4, 0, 0, 0, 0);
        }
    }

    private final HardwareModel model;
    private final Testbench bench;
    private final AxiLiteMaster registers;
    private final AxiMemory memory;
    private final AxiStreamSink wireOut;
    private final AxiStreamSource wireIn;
    private final WireIn wireInFromMemory;
    private NicDevice peer;
    private boolean leader; // of a pair: holds the crossover, so steps first

    /** A NIC whose wire ends in a sink and a source of frames. */
    public NicDevice(HardwareModel model, MemorySegment hostMemory, Timing t) {
        this(model, hostMemory, t, true, null, null, AxiMemory.Faults.none());
    }

    /** A NIC as above whose memory answers some accesses with bus errors (fault tests). */
    public NicDevice(HardwareModel model, MemorySegment hostMemory, Timing t, AxiMemory.Faults faults) {
        this(model, hostMemory, t, true, null, null, faults);
    }

    /**
     * A NIC whose frames out go to {@code out} as they leave (always ready, nothing kept;
     * {@link #wireOut()} is null) and whose frames in come from {@link #wireIn()}: what a
     * long-running port uses.
     */
    public NicDevice(HardwareModel model, MemorySegment hostMemory, Timing t, WireOut.Handler out) {
        this(model, hostMemory, t, true, out, null, AxiMemory.Faults.none());
    }

    /**
     * As {@link #NicDevice(HardwareModel, MemorySegment, Timing, WireOut.Handler)}, but frames
     * in come from host memory itself ({@link #wireInFromMemory()}, up to 256 waiting; each
     * given back to {@code in} once taken) and {@link #wireIn()} is null: no copy per frame.
     */
    public NicDevice(HardwareModel model, MemorySegment hostMemory, Timing t, WireOut.Handler out,
                     WireIn.Release in) {
        this(model, hostMemory, t, true, out, in, AxiMemory.Faults.none());
    }

    private NicDevice(HardwareModel model, MemorySegment hostMemory, Timing t, boolean ownWire,
                      WireOut.Handler out, WireIn.Release in, AxiMemory.Faults faults) {
        this.model = model;
        model.reset(4);
        this.bench = new Testbench(model);
        // No idle cycles or back-pressure on the register port: the doorbell timing is the datasheet's.
        this.registers = new AxiLiteMaster(AxiPorts.bind(model, "s_axil"), t.seed() ^ 0x72656773L, 0, 0, null);
        this.memory = DmaCopyDriver.memory(model, hostMemory, t.seed() ^ 0x6D656DL, t.memoryLatency(),
                t.readsInFlight(), t.memoryIdle(), t.memoryBackpressure(), faults);
        this.wireOut = out != null ? null : new AxiStreamSink(model, AxiStream.bind(model, "m_axis"), t.seed() ^ 0x74786FL,
                t.wireBackpressure());
        this.wireIn = in != null ? null : new AxiStreamSource(model, AxiStream.bind(model, "s_axis"),
                t.seed() ^ 0x727869L, t.wireIdle());
        this.wireInFromMemory = in == null ? null : new WireIn(model, hostMemory, 256, in);
        bench.add(registers).add(memory);
        if (ownWire) {
            bench.add(out != null ? new WireOut(model, out) : wireOut).add(in != null ? wireInFromMemory : wireIn);
        }
    }

    /**
     * Two NICs whose wires are joined: a's frames out go to b's s_axis and b's to a's, beat
     * by beat (each side's tready is the other's). Step them with {@link #cycle()} on either:
     * both advance one cycle.
     */
    public static NicDevice[] pair(HardwareModel modelA, MemorySegment memoryA, HardwareModel modelB,
                                   MemorySegment memoryB, Timing t) {
        NicDevice a = new NicDevice(modelA, memoryA, t, false, null, null, AxiMemory.Faults.none());
        NicDevice b = new NicDevice(modelB, memoryB, new Timing(t.seed() + 1, t.memoryLatency(),
                t.readsInFlight(), t.memoryIdle(), t.memoryBackpressure(), t.wireIdle(), t.wireBackpressure()),
                false, null, null, AxiMemory.Faults.none());
        a.peer = b;
        b.peer = a;
        a.leader = true;
        a.bench.add(new Crossover(a.model, b.model));
        return new NicDevice[] {a, b};
    }

    public HardwareModel model() {
        return model;
    }

    public Testbench testbench() {
        return bench;
    }

    public AxiLiteMaster registers() {
        return registers;
    }

    public AxiMemory memory() {
        return memory;
    }

    /** Frames the NIC sent when its wire is not connected to another NIC. */
    public AxiStreamSink wireOut() {
        return wireOut;
    }

    /** Frames offered to the NIC's wire when not connected to another NIC (null: see {@link #wireInFromMemory()}). */
    public AxiStreamSource wireIn() {
        return wireIn;
    }

    /** Frames offered to the NIC's wire from host memory, when opened so; else null. */
    public WireIn wireInFromMemory() {
        return wireInFromMemory;
    }

    /** One clock cycle (of both NICs, when connected; this one's agents first). */
    public void cycle() {
        if (peer == null) {
            bench.cycle();
        } else {
            NicDevice first = leader ? this : peer;
            first.bench.cycle();
            first.peer.bench.cycle();
        }
    }

    /** Cycles until {@code done}; throws naming the NIC when {@code limit} cycles pass first. */
    public long runUntil(BooleanSupplier done, long limit) {
        long n = 0;
        while (!done.getAsBoolean()) {
            if (n++ >= limit) {
                throw new IllegalStateException("nic on " + model.backend() + ": not done after " + limit
                        + " cycles (hung at cycle " + bench.now() + ")");
            }
            cycle();
        }
        return n;
    }

    public long now() {
        return bench.now();
    }

    /** A register write, run to its response. */
    public void write(int register, long value) {
        AxiLiteMaster.Access a = registers.postWrite(register, value);
        runUntil(a::done, 1_000);
    }

    /** A register read, run to its data. */
    public long read(int register) {
        AxiLiteMaster.Access a = registers.postRead(register);
        runUntil(a::done, 1_000);
        return a.data();
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * The wire between two NICs: before every edge, each side's s_axis inputs take the
     * other's m_axis outputs (registered, so stable), and each m_axis_tready the other's
     * s_axis_tready.
     */
    private static final class Crossover implements BusAgent {
        private final HardwareModel a;
        private final HardwareModel b;
        private final int[] aOut;
        private final int[] bIn;
        private final int[] bOut;
        private final int[] aIn;
        private final int aReady;
        private final int bReady;
        private final int aInReady;
        private final int bInReady;

        Crossover(HardwareModel a, HardwareModel b) {
            this.a = a;
            this.b = b;
            String[] fields = {"tdata", "tkeep", "tvalid", "tlast"};
            aOut = ports(a, "m_axis_", fields);
            bOut = ports(b, "m_axis_", fields);
            aIn = ports(a, "s_axis_", fields);
            bIn = ports(b, "s_axis_", fields);
            aReady = a.port("m_axis_tready");
            bReady = b.port("m_axis_tready");
            aInReady = a.port("s_axis_tready");
            bInReady = b.port("s_axis_tready");
        }

        private static int[] ports(HardwareModel m, String prefix, String[] names) {
            int[] p = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                p[i] = m.port(prefix + names[i]);
            }
            return p;
        }

        @Override
        public void beforeEdge(long cycle) {
            for (int i = 0; i < aOut.length; i++) {
                b.set(bIn[i], a.get(aOut[i]));
                a.set(aIn[i], b.get(bOut[i]));
            }
            a.set(aReady, b.get(bInReady));
            b.set(bReady, a.get(aInReady));
        }
    }
}
