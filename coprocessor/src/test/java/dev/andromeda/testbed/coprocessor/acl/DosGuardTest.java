package dev.andromeda.testbed.coprocessor.acl;

import dev.andromeda.testbed.coprocessor.ManualClock;
import dev.andromeda.testbed.coprocessor.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DosGuardTest {
    private static final long SECOND = 1_000_000_000L;
    private final ManualClock clock = new ManualClock(SECOND);

    private static int admitted(DosGuard guard, int source, int packets) {
        int n = 0;
        for (int i = 0; i < packets; i++) {
            if (guard.admit(source)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void dropsAboveTheRateOfEachSourceAndLeavesOtherSourcesAlone() {
        var guard = new DosGuard(10, 5, 64, 8, clock);
        int attacker = Ipv4.parse("192.0.2.66");
        int bystander = Ipv4.parse("198.51.100.1");

        assertThat(admitted(guard, attacker, 20)).isEqualTo(5);
        assertThat(guard.drops()).isEqualTo(15);
        assertThat(admitted(guard, bystander, 3)).isEqualTo(3);

        clock.advance(SECOND / 10); // one packet earned
        assertThat(admitted(guard, attacker, 5)).isEqualTo(1);
        clock.advance(10 * SECOND); // capped at the burst
        assertThat(admitted(guard, attacker, 20)).isEqualTo(5);
    }

    @Test
    void admitsExactlyTheRateOverTime() {
        var guard = new DosGuard(1_000, 1, 16, 4, clock);
        int source = 42;
        int admitted = 0;
        for (int ms = 0; ms < 2_000; ms++) {
            admitted += admitted(guard, source, 3); // three a millisecond offered, one earned
            clock.advance(SECOND / 1_000);
        }
        assertThat(admitted).isEqualTo(2_000);
    }

    @Test
    void evictsTheLeastRecentlySeenSourceWhenFull() {
        var guard = new DosGuard(10, 5, 4, 4, clock);
        for (int source = 1; source <= 4; source++) {
            guard.admit(source);
            clock.advance(1);
        }
        guard.admit(1); // 1 is now the most recently seen; 2 the least
        clock.advance(1);
        guard.admit(5);

        assertThat(guard.tracks(2)).isFalse();
        assertThat(guard.tracks(1)).isTrue();
        assertThat(guard.tracks(3)).isTrue();
        assertThat(guard.tracks(4)).isTrue();
        assertThat(guard.tracks(5)).isTrue();
        assertThat(guard.evictions()).isEqualTo(1);
        assertThat(guard.size()).isEqualTo(4);
    }

    @Test
    void staysBoundedUnderAFloodOfSpoofedSources() throws Exception {
        Seeds.reportingSeed(seed -> {
            var random = new SplittableRandom(seed);
            var guard = new DosGuard(100, 10, 256, 8, clock);
            for (int i = 0; i < 100_000; i++) {
                guard.admit(random.nextInt());
                clock.advance(100);
            }
            assertThat(guard.size()).isLessThanOrEqualTo(256);
            assertThat(guard.evictions()).isGreaterThanOrEqualTo(100_000 - 256);
        });
    }
}
