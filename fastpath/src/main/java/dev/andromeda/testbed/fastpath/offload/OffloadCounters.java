package dev.andromeda.testbed.fastpath.offload;

import dev.andromeda.testbed.fastpath.stats.SingleWriterCounters;

/**
 * What an offload implementation did, kept apart by kind of cost:
 * {@code cpuNs} is what the host's CPU spent (for software, the work itself;
 * for hardware, posting descriptors and reaping completions), {@code hwCycles}
 * is what the block spent, and {@code simWallNs} is the simulator's own wall
 * time -- never a cost of the dataplane.
 *
 * <p>Updated by the implementation's owning thread only; readers on other
 * threads see a recent value.
 */
public final class OffloadCounters {
    private static final int JOBS = 0;
    private static final int REJECTED = 1;
    private static final int BYTES = 2;
    private static final int CPU_NS = 3;
    private static final int HW_CYCLES = 4;
    private static final int SIM_WALL_NS = 5;

    private final SingleWriterCounters c = new SingleWriterCounters(6);

    /** Adds one batch's figures (the owning thread). */
    public void add(long jobs, long rejected, long bytes, long cpuNs, long hwCycles, long simWallNs) {
        c.add(JOBS, jobs);
        c.add(REJECTED, rejected);
        c.add(BYTES, bytes);
        c.add(CPU_NS, cpuNs);
        c.add(HW_CYCLES, hwCycles);
        c.add(SIM_WALL_NS, simWallNs);
    }

    public void reset() {
        c.reset();
    }

    public long jobs() {
        return c.get(JOBS);
    }

    public long rejected() {
        return c.get(REJECTED);
    }

    public long bytes() {
        return c.get(BYTES);
    }

    public long cpuNs() {
        return c.get(CPU_NS);
    }

    public long hwCycles() {
        return c.get(HW_CYCLES);
    }

    public long simWallNs() {
        return c.get(SIM_WALL_NS);
    }

    /** Hardware time at the given clock, in nanoseconds. */
    public double modelledHwNs(double clockMHz) {
        return hwCycles() * 1000.0 / clockMHz;
    }

    @Override
    public String toString() {
        return "jobs=" + jobs() + " rejected=" + rejected() + " bytes=" + bytes() + " cpuNs=" + cpuNs()
                + " hwCycles=" + hwCycles() + " simWallNs=" + simWallNs();
    }
}
