package dev.andromeda.testbed.fastpath.offload;

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
    private volatile long jobs;
    private volatile long rejected;
    private volatile long bytes;
    private volatile long cpuNs;
    private volatile long hwCycles;
    private volatile long simWallNs;

    /** Adds one batch's figures (a single writer; plain read-modify-write is safe). */
    public void add(long jobs, long rejected, long bytes, long cpuNs, long hwCycles, long simWallNs) {
        this.jobs += jobs;
        this.rejected += rejected;
        this.bytes += bytes;
        this.cpuNs += cpuNs;
        this.hwCycles += hwCycles;
        this.simWallNs += simWallNs;
    }

    public void reset() {
        jobs = rejected = bytes = cpuNs = hwCycles = simWallNs = 0;
    }

    public long jobs() {
        return jobs;
    }

    public long rejected() {
        return rejected;
    }

    public long bytes() {
        return bytes;
    }

    public long cpuNs() {
        return cpuNs;
    }

    public long hwCycles() {
        return hwCycles;
    }

    public long simWallNs() {
        return simWallNs;
    }

    /** Hardware time at the given clock, in nanoseconds. */
    public double modelledHwNs(double clockMHz) {
        return hwCycles * 1000.0 / clockMHz;
    }

    @Override
    public String toString() {
        return "jobs=" + jobs + " rejected=" + rejected + " bytes=" + bytes + " cpuNs=" + cpuNs
                + " hwCycles=" + hwCycles + " simWallNs=" + simWallNs;
    }
}
