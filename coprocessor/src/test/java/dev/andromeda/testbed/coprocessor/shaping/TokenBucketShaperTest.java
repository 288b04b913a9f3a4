package dev.andromeda.testbed.coprocessor.shaping;

import dev.andromeda.testbed.coprocessor.ManualClock;
import dev.andromeda.testbed.coprocessor.Seeds;
import dev.andromeda.testbed.coprocessor.ring.Direction;
import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.Verdict;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.ring.WorkKind;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketShaperTest {
    private static final long SECOND = 1_000_000_000L;

    private final ManualClock clock = new ManualClock(5 * SECOND);
    private final WorkRing ring = new WorkRing(1, Direction.EGRESS, 1024);
    private final List<WorkItem> completed = new ArrayList<>();

    private WorkItem packet(int bytes, long cookie) {
        return ring.claim().packet(WorkKind.INTERNET_EGRESS, 0, 0, bytes).cookie(cookie);
    }

    private long passedBytes() {
        return completed.stream().filter(i -> i.verdict() == Verdict.PASS).mapToLong(WorkItem::length).sum();
    }

    @Test
    void passesTheBurstAtOnceThenReleasesTheRestAtTheRate() {
        var shaper = new TokenBucketShaper(1_000, 1_500, 100, clock, completed::add);
        for (int i = 0; i < 10; i++) {
            shaper.offer(packet(500, i));
        }
        assertThat(completed).extracting(WorkItem::cookie).containsExactly(0L, 1L, 2L);
        assertThat(shaper.queued()).isEqualTo(7);
        assertThat(shaper.nextDueNanos()).isEqualTo(clock.getAsLong() + SECOND / 2);

        clock.advance(SECOND / 2 - 1);
        assertThat(shaper.doWork()).isZero();
        clock.advance(1);
        assertThat(shaper.doWork()).isEqualTo(1);
        assertThat(completed).extracting(WorkItem::cookie).containsExactly(0L, 1L, 2L, 3L);

        clock.advance(3 * SECOND / 2);
        assertThat(shaper.doWork()).isEqualTo(3);
        clock.advance(10 * SECOND); // credit stops at the burst however long the wait
        assertThat(shaper.doWork()).isEqualTo(3);
        assertThat(completed).extracting(WorkItem::cookie).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(completed).allMatch(i -> i.verdict() == Verdict.PASS);
        assertThat(shaper.queued()).isZero();
        assertThat(shaper.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void dropsAndCountsWhatExceedsTheQueueBound() {
        var shaper = new TokenBucketShaper(1_000, 1_500, 2, clock, completed::add);
        for (int i = 0; i < 6; i++) {
            shaper.offer(packet(500, i));
        }
        assertThat(shaper.queued()).isEqualTo(2);
        assertThat(completed).extracting(WorkItem::cookie).containsExactly(0L, 1L, 2L, 5L);
        assertThat(completed.get(3).dropReason()).isEqualTo(DropReason.SHAPER_QUEUE_FULL);
    }

    @Test
    void dropsAPacketLargerThanTheBurstBecauseItCouldNeverPass() {
        var shaper = new TokenBucketShaper(1_000_000, 9_000, 10, clock, completed::add);
        shaper.offer(packet(9_001, 1));
        assertThat(completed).singleElement()
                .satisfies(i -> assertThat(i.dropReason()).isEqualTo(DropReason.SHAPER_OVER_BURST));
    }

    @Test
    void policesWithoutHoldingWhenTheQueueBoundIsZero() {
        var shaper = new TokenBucketShaper(1_000, 1_000, 0, clock, completed::add);
        shaper.offer(packet(600, 1));
        shaper.offer(packet(600, 2));
        assertThat(completed).extracting(WorkItem::verdict).containsExactly(Verdict.PASS, Verdict.DROP);
        assertThat(completed.get(1).dropReason()).isEqualTo(DropReason.SHAPER_QUEUE_FULL);
    }

    @Test
    void neverSendsMoreThanBurstPlusRateTimesTimeAndKeepsUpWhenBacklogged() throws Exception {
        Seeds.reportingSeed(seed -> {
            var random = new SplittableRandom(seed);
            long rate = 125_000; // 1 Mbit/s
            long burst = 16_000;
            long[] passed = {0};
            // The sink returns every finished item through the ring, as the pool does, so items recycle.
            var shaper = new TokenBucketShaper(rate, burst, 512, clock, item -> {
                if (item.verdict() == Verdict.PASS) {
                    passed[0] += item.length();
                }
                ring.publishResult(item);
            });
            long start = clock.getAsLong();
            for (int step = 0; step < 5_000; step++) {
                while (shaper.queued() < 8) {
                    shaper.offer(packet(64 + random.nextInt(1_437), step)); // keep it backlogged
                }
                clock.advance(random.nextLong(1, 2_000_000));
                shaper.doWork();
                ring.drainResults(i -> { }, Integer.MAX_VALUE);
                double allowance = burst + rate * ((clock.getAsLong() - start) / (double) SECOND);
                assertThat((double) passed[0]).as("bytes passed by step %d", step)
                        .isLessThanOrEqualTo(allowance)
                        .isGreaterThan(allowance - 1_500 - 1);
            }
        });
    }
}
