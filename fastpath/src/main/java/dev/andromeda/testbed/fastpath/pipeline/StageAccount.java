package dev.andromeda.testbed.fastpath.pipeline;

import dev.andromeda.testbed.fastpath.stats.SingleWriterCounters;

/**
 * What one stage of a pipeline has cost: batches, packets and bytes seen, CPU
 * nanoseconds on the calling thread, and for hardware stages the block's
 * cycles and the simulator's own wall time -- kept apart from CPU cost.
 * Written by the dataplane thread only; read by any (a recent value).
 */
public final class StageAccount {
    private final String name;
    private static final int BATCHES = 0;
    private static final int PACKETS = 1;
    private static final int BYTES = 2;
    private static final int CPU_NS = 3;
    private static final int HW_CYCLES = 4;
    private static final int SIM_NS = 5;
    private final SingleWriterCounters c = new SingleWriterCounters(6);

    StageAccount(String name) {
        this.name = name;
    }

    void add(int packets, long bytes, long cpuNs, long hwCycles, long simNs) {
        c.add(BATCHES, 1);
        c.add(PACKETS, packets);
        c.add(BYTES, bytes);
        c.add(CPU_NS, cpuNs);
        c.add(HW_CYCLES, hwCycles);
        c.add(SIM_NS, simNs);
    }

    public String name() {
        return name;
    }

    public long batches() {
        return c.get(BATCHES);
    }

    public long packets() {
        return c.get(PACKETS);
    }

    public long bytes() {
        return c.get(BYTES);
    }

    /** CPU time on the dataplane thread, simulation of hardware stages excluded. */
    public long cpuNs() {
        return c.get(CPU_NS);
    }

    /** Clock cycles the stage's hardware block spent (0 for software). */
    public long hardwareCycles() {
        return c.get(HW_CYCLES);
    }

    /** The hardware cycles as time at the given clock. */
    public double modelledHardwareNs(double clockMHz) {
        return hardwareCycles() * 1000.0 / clockMHz;
    }

    /** Wall time the simulator spent for this stage: the simulator's cost, not the dataplane's. */
    public long simulationNs() {
        return c.get(SIM_NS);
    }

    public double cpuNsPerPacket() {
        long p = packets();
        return p == 0 ? 0 : (double) cpuNs() / p;
    }

    @Override
    public String toString() {
        return String.format("%s: %d packets, %d bytes, %.1f CPU ns/packet, %d hw cycles, %.1f ms simulation", name,
                packets(), bytes(), cpuNsPerPacket(), hardwareCycles(), simulationNs() / 1e6);
    }
}
