package dev.andromeda.testbed.coprocessor.shaping;

import dev.andromeda.testbed.fastpath.agent.Agent;
import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.ResultSink;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;

import java.util.function.LongSupplier;

/**
 * WAN rate shaping for one VM: a token bucket of bytes ({@code bytesPerSecond}, {@code burstBytes}).
 * A packet within the rate passes at once; one over it waits, in arrival order, in a bounded
 * queue until its bytes have accrued, and {@link #doWork()} releases it then. Over the rate with
 * the queue at its bound, or larger than the burst (it could never pass), the packet is dropped
 * with a counted reason. A queue bound of 0 makes it a policer.
 *
 * <p>Held items stay outstanding in their ring, so the queue never holds more than the ring's
 * capacity whatever its bound. Owned by the thread serving the VM; time comes from the injected
 * clock, read once per call.
 */
public final class TokenBucketShaper implements Agent {
    private final TokenBucket bucket;
    private final LongSupplier nanoClock;
    private final ResultSink sink;
    private final WorkItem[] queue;
    private int head;
    private int count;

    public TokenBucketShaper(long bytesPerSecond, long burstBytes, int queueLimit, LongSupplier nanoClock,
                             ResultSink sink) {
        if (queueLimit < 0 || queueLimit > (1 << 20)) {
            throw new IllegalArgumentException("queue limit must be 0..2^20: " + queueLimit);
        }
        this.nanoClock = nanoClock;
        this.bucket = new TokenBucket(bytesPerSecond, burstBytes, nanoClock.getAsLong());
        this.sink = sink;
        this.queue = new WorkItem[queueLimit];
    }

    /** Shapes one packet: passes it, holds it, or drops it (counted by the sink through the reason). */
    public void offer(WorkItem item) {
        long now = nanoClock.getAsLong();
        int length = item.length();
        if (length > bucket.burst()) {
            item.drop(DropReason.SHAPER_OVER_BURST);
            sink.complete(item);
        } else if (count == 0 && bucket.tryTake(length, now)) {
            item.pass();
            sink.complete(item);
        } else if (count < queue.length) {
            queue[(head + count) % queue.length] = item;
            count++;
        } else {
            item.drop(DropReason.SHAPER_QUEUE_FULL);
            sink.complete(item);
        }
    }

    /** Releases the held packets whose bytes have accrued, oldest first; returns how many. */
    @Override
    public int doWork() {
        if (count == 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        int released = 0;
        while (count > 0 && bucket.tryTake(queue[head].length(), now)) {
            WorkItem item = queue[head];
            queue[head] = null;
            head = (head + 1) % queue.length;
            count--;
            item.pass();
            sink.complete(item);
            released++;
        }
        return released;
    }

    /** When the oldest held packet can go ({@link Long#MAX_VALUE} with none held), by the injected clock. */
    public long nextDueNanos() {
        if (count == 0) {
            return Long.MAX_VALUE;
        }
        long now = nanoClock.getAsLong();
        return now + bucket.nanosUntil(queue[head].length(), now);
    }

    /** Packets held now. */
    public int queued() {
        return count;
    }

    public int queueLimit() {
        return queue.length;
    }

    @Override
    public String roleName() {
        return "wan-shaper";
    }
}
