package dev.andromeda.testbed.coprocessor.sched;

import dev.andromeda.testbed.coprocessor.acl.DosGuard;
import dev.andromeda.testbed.coprocessor.acl.InternetAcl;
import dev.andromeda.testbed.coprocessor.crypto.CryptoWork;
import dev.andromeda.testbed.coprocessor.flow.FlowMissHandler;
import dev.andromeda.testbed.coprocessor.ring.Direction;
import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.ResultSink;
import dev.andromeda.testbed.coprocessor.ring.Verdict;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;
import dev.andromeda.testbed.coprocessor.shaping.TokenBucketShaper;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Everything the coprocessors keep for one VM: its egress and ingress {@link WorkRing}s, its
 * handlers (Internet ACL, DoS guard, WAN shaper, flow-miss handler) and its counters. A worker
 * that holds the VM's claim serves one slice ({@link #serve}): up to {@code sliceBudget} requests
 * from each ring, dispatched by kind, then the shaper's due packets; counters are summed over the
 * slice and published once, with the slice's CPU time.
 *
 * <pre>
 *  INTERNET_INGRESS : DosGuard(src) -> InternetAcl(in: src, dstPort) -> PASS | DROP
 *  INTERNET_EGRESS  : InternetAcl(out: dst, dstPort) -> TokenBucketShaper -> PASS now | later | DROP
 *  FLOW_MISS        : FlowMissHandler (rate limit, FlowResolver) -> PASS(action) | DROP
 *  CRYPTO           : the worker's CryptoOffload over the batch -> PASS(batch done) | DROP
 * </pre>
 *
 * <p><b>Ownership.</b> Handlers and slice accumulators are plain fields used only by the claim
 * holder. The claim is an int taken with a CAS (a full fence: acquire) and given back with a
 * store-release, so whatever one worker did in a slice is visible to the next worker to claim the
 * VM. {@code lastServedTick} and {@code shaperDueNanos} are read by scheduler scans on other
 * threads: written with store-release, read with load-acquire; a stale read only costs a choice,
 * never correctness, because the claim decides.
 */
public final class VmService implements ResultSink {
    private static final VarHandle CLAIMED;
    private static final VarHandle LAST_SERVED;
    private static final VarHandle SHAPER_DUE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLAIMED = l.findVarHandle(VmService.class, "claimed", int.class);
            LAST_SERVED = l.findVarHandle(VmService.class, "lastServedTick", long.class);
            SHAPER_DUE = l.findVarHandle(VmService.class, "shaperDueNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int vmId;
    private final WorkRing egress;
    private final WorkRing ingress;
    private final InternetAcl acl;
    private final DosGuard dosGuard;
    private final FlowMissHandler flowMisses;
    private final TokenBucketShaper shaper;
    private final CpuClock cpuClock;
    private final int sliceBudget;
    private final VmCounters counters;

    // Scheduling state, through the VarHandles above.
    @SuppressWarnings("unused")
    private int claimed;
    @SuppressWarnings("unused")
    private long lastServedTick;
    @SuppressWarnings("unused")
    private long shaperDueNanos = Long.MAX_VALUE;

    // Slice accumulators: the claim holder only.
    private long sliceItems;
    private long slicePassed;
    private long sliceBytes;
    private final long[] sliceDrops = new long[DropReason.count()];

    /**
     * @param shaperFactory builds the VM's WAN shaper around the sink it must complete items to (this)
     */
    public VmService(int vmId, int ringCapacity, InternetAcl acl, DosGuard dosGuard, FlowMissHandler flowMisses,
                     Function<ResultSink, TokenBucketShaper> shaperFactory, CpuClock cpuClock, int sliceBudget) {
        if (sliceBudget < 1) {
            throw new IllegalArgumentException("slice budget must be positive: " + sliceBudget);
        }
        this.vmId = vmId;
        this.egress = new WorkRing(vmId, Direction.EGRESS, ringCapacity);
        this.ingress = new WorkRing(vmId, Direction.INGRESS, ringCapacity);
        this.acl = acl;
        this.dosGuard = dosGuard;
        this.flowMisses = flowMisses;
        this.shaper = shaperFactory.apply(this);
        this.cpuClock = cpuClock;
        this.sliceBudget = sliceBudget;
        this.counters = new VmCounters(vmId, egress, ingress);
    }

    public int vmId() {
        return vmId;
    }

    /** The fast path's side of the VM's egress work. */
    public WorkRing egress() {
        return egress;
    }

    /** The fast path's side of the VM's ingress work. */
    public WorkRing ingress() {
        return ingress;
    }

    public WorkRing ring(Direction direction) {
        return direction == Direction.EGRESS ? egress : ingress;
    }

    /** The VM's Internet ACL; {@link InternetAcl#replace} from the control side at any time. */
    public InternetAcl acl() {
        return acl;
    }

    public VmCounters counters() {
        return counters;
    }

    // ------------------------------------------------------------------ scheduling (any thread)

    /** Requests waiting in either ring, or a held WAN packet due by {@code nowNanos}. */
    public boolean hasPendingWork(long nowNanos) {
        if (egress.hasRequests() || ingress.hasRequests()) {
            return true;
        }
        long due = (long) SHAPER_DUE.getAcquire(this);
        return due != Long.MAX_VALUE && nowNanos - due >= 0; // a difference: nanoTime may be negative or wrap
    }

    /** When the shaper's oldest held packet is due, as last published; {@link Long#MAX_VALUE} if none held. */
    public long shaperDueNanos() {
        return (long) SHAPER_DUE.getAcquire(this);
    }

    boolean isClaimed() {
        return (int) CLAIMED.getOpaque(this) != 0;
    }

    /** CAS: on success the caller serves the VM alone and sees everything the previous holder did. */
    boolean tryClaim() {
        return CLAIMED.compareAndSet(this, 0, 1);
    }

    /** Store-release: this slice's writes happen-before the next holder's claim. */
    void release() {
        CLAIMED.setRelease(this, 0);
    }

    /** The scheduler tick of the VM's last service; 0 before the first. */
    public long lastServedTick() {
        return (long) LAST_SERVED.getAcquire(this);
    }

    void markServed(long tick) {
        LAST_SERVED.setRelease(this, tick);
    }

    // ------------------------------------------------------------------ service (claim holder)

    /** Serves one slice; returns the work done (requests taken plus held packets released). */
    int serve(CoprocessorWorker worker) {
        long cpuStart = cpuClock.now();
        int work = drain(egress, worker) + drain(ingress, worker) + shaper.doWork();
        SHAPER_DUE.setRelease(this, shaper.nextDueNanos());
        long cpuNs = cpuClock.now() - cpuStart;
        counters.addSlice(sliceItems, slicePassed, sliceBytes, Math.max(0, cpuNs), sliceDrops);
        sliceItems = slicePassed = sliceBytes = 0;
        Arrays.fill(sliceDrops, 0);
        return work;
    }

    private int drain(WorkRing ring, CoprocessorWorker worker) {
        int n = 0;
        WorkItem item;
        // poll is a load-acquire of the slot: the fast path's request fields are visible.
        while (n < sliceBudget && (item = ring.pollRequest()) != null) {
            dispatch(item, worker);
            n++;
        }
        return n;
    }

    private void dispatch(WorkItem item, CoprocessorWorker worker) {
        if (item.kind() == null) {
            item.drop(DropReason.MALFORMED_ITEM);
            complete(item);
            return;
        }
        switch (item.kind()) {
            case INTERNET_INGRESS -> {
                if (!dosGuard.admit(item.srcIp())) {
                    item.drop(DropReason.DOS_RATE_EXCEEDED);
                } else if (!acl.allows(Direction.INGRESS, item.srcIp(), item.dstPort(), item.protocol())) {
                    item.drop(DropReason.ACL_DENIED);
                } else {
                    item.pass();
                }
                complete(item);
            }
            case INTERNET_EGRESS -> {
                if (acl.allows(Direction.EGRESS, item.dstIp(), item.dstPort(), item.protocol())) {
                    shaper.offer(item); // completes now, or holds it and completes later
                } else {
                    item.drop(DropReason.ACL_DENIED);
                    complete(item);
                }
            }
            case FLOW_MISS -> {
                flowMisses.handle(item);
                complete(item);
            }
            case CRYPTO -> {
                CryptoWork.handle(item, worker.cryptoStage());
                complete(item);
            }
        }
    }

    /** Counts a decided item into the slice and returns it to the fast path. */
    @Override
    public void complete(WorkItem item) {
        sliceItems++;
        sliceBytes += item.length();
        if (item.verdict() == Verdict.DROP) {
            sliceDrops[item.dropReason().ordinal()]++;
        } else {
            slicePassed++;
        }
        // offer is a store-release of the slot: the result fields are published with the item.
        item.ring().publishResult(item);
    }

    /** WAN packets held by the shaper now (claim holder, or for tests between slices). */
    public int shaperQueued() {
        return shaper.queued();
    }

    @Override
    public String toString() {
        return "VmService[" + vmId + "]";
    }
}
