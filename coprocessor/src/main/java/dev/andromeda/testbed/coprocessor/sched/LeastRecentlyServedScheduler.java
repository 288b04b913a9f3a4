package dev.andromeda.testbed.coprocessor.sched;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Explicit fairness between VMs: of the VMs with pending work that no worker holds, the one served
 * least recently goes first (never-served VMs first, then by VM order). A VM that keeps its rings
 * full is stamped most recent each time it is served, so every other VM with work goes before it
 * again: with one worker and M VMs, a VM with pending work waits at most M-1 slices.
 *
 * <p>Lock-free: a scan over the VMs (tens per host; one scan per slice of up to a batch per ring),
 * then a CAS on the chosen VM's claim; a worker that loses the race scans again, at most M+1
 * times. With several workers the order is least-recently-served as of each scan; with one worker
 * it is exact and deterministic. Ticks come from one shared counter, one increment per slice.
 */
public final class LeastRecentlyServedScheduler {
    private final VmService[] vms;
    private final LongSupplier nanoClock;
    private final AtomicLong ticks = new AtomicLong();

    public LeastRecentlyServedScheduler(List<VmService> vms, LongSupplier nanoClock) {
        this.vms = vms.toArray(new VmService[0]);
        this.nanoClock = nanoClock;
    }

    /** Claims the least recently served VM with pending work, stamped as served now; or null. */
    public VmService claimNext() {
        for (int attempt = 0; attempt <= vms.length; attempt++) {
            long now = nanoClock.getAsLong();
            VmService best = null;
            long bestTick = Long.MAX_VALUE;
            for (VmService vm : vms) {
                long tick = vm.lastServedTick();
                if (tick < bestTick && !vm.isClaimed() && vm.hasPendingWork(now)) {
                    best = vm;
                    bestTick = tick;
                }
            }
            if (best == null) {
                return null;
            }
            if (best.tryClaim()) {
                best.markServed(ticks.incrementAndGet());
                return best;
            }
        }
        return null;
    }

    /** Slices handed out so far. */
    public long ticks() {
        return ticks.get();
    }
}
