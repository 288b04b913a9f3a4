package dev.andromeda.testbed.fastpath.pipeline;

/**
 * What one stage of a pipeline has cost: batches, packets and bytes seen, CPU
 * nanoseconds on the calling thread, and for hardware stages the block's
 * cycles and the simulator's own wall time -- kept apart from CPU cost.
 * Written by the dataplane thread only; read by any (a recent value).
 */
public final class StageAccount {
    private final String name;
    private volatile long batches;
    private volatile long packets;
    private volatile long bytes;
    private volatile long cpuNs;
    private volatile long hwCycles;
    private volatile long simNs;

    StageAccount(String name) {
        this.name = name;
    }

    void add(int packets, long bytes, long cpuNs, long hwCycles, long simNs) {
        this.batches++;
        this.packets += packets;
        this.bytes += bytes;
        this.cpuNs += cpuNs;
        this.hwCycles += hwCycles;
        this.simNs += simNs;
    }

    public String name() {
        return name;
    }

    public long batches() {
        return batches;
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    /** CPU time on the dataplane thread, simulation of hardware stages excluded. */
    public long cpuNs() {
        return cpuNs;
    }

    /** Clock cycles the stage's hardware block spent (0 for software). */
    public long hardwareCycles() {
        return hwCycles;
    }

    /** The hardware cycles as time at the given clock. */
    public double modelledHardwareNs(double clockMHz) {
        return hwCycles * 1000.0 / clockMHz;
    }

    /** Wall time the simulator spent for this stage: the simulator's cost, not the dataplane's. */
    public long simulationNs() {
        return simNs;
    }

    public double cpuNsPerPacket() {
        return packets == 0 ? 0 : (double) cpuNs / packets;
    }

    @Override
    public String toString() {
        return String.format("%s: %d packets, %d bytes, %.1f CPU ns/packet, %d hw cycles, %.1f ms simulation", name,
                packets, bytes, cpuNsPerPacket(), hwCycles, simNs / 1e6);
    }
}
