package dev.andromeda.testbed.coprocessor.flow;

import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.shaping.TokenBucket;

import java.util.function.LongSupplier;

/**
 * One VM's flow misses: each is answered by the {@link FlowResolver}, and the answer goes back to
 * the fast path in the item ({@link WorkItem#action()}) through the result ring. A token bucket of
 * misses per second bounds what one tenant can ask of the resolver; a miss over it is dropped with
 * {@link DropReason#FLOW_MISS_RATE_LIMITED}, and the fast path keeps sending that flow the
 * default way (hoverboards) until a later miss gets through.
 *
 * <p>Owned by the thread serving the VM; time from the injected clock.
 */
public final class FlowMissHandler {
    private final int vmId;
    private final FlowResolver resolver;
    private final TokenBucket limit;
    private final LongSupplier nanoClock;

    public FlowMissHandler(int vmId, FlowResolver resolver, long missesPerSecond, long burst,
                           LongSupplier nanoClock) {
        this.vmId = vmId;
        this.resolver = resolver;
        this.nanoClock = nanoClock;
        this.limit = new TokenBucket(missesPerSecond, burst, nanoClock.getAsLong());
    }

    /** Sets the item's verdict: PASS with the resolver's action, or DROP with the reason. */
    public void handle(WorkItem miss) {
        if (!limit.tryTake(1, nanoClock.getAsLong())) {
            miss.drop(DropReason.FLOW_MISS_RATE_LIMITED);
            return;
        }
        long action;
        try {
            action = resolver.resolve(vmId, miss.vni(), miss.srcIp(), miss.dstIp(), miss.srcPort(), miss.dstPort(),
                    miss.protocol());
        } catch (RuntimeException e) {
            miss.drop(DropReason.FLOW_RESOLVER_FAILED);
            return;
        }
        miss.pass(action);
    }
}
