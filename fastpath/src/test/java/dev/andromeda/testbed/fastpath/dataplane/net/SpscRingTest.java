package dev.andromeda.testbed.fastpath.dataplane.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpscRingTest {

    @Test
    void holdsUpToItsCapacityInOrder() {
        SpscRing<Integer> r = new SpscRing<>(4);
        assertThat(r.peek()).isNull();
        assertThat(r.poll()).isNull();
        for (int i = 0; i < 4; i++) {
            assertThat(r.offer(i)).isTrue();
        }
        assertThat(r.offer(4)).as("full").isFalse();
        assertThat(r.size()).isEqualTo(4);
        assertThat(r.peek()).isZero();
        assertThat(r.poll()).isZero();
        assertThat(r.offer(4)).isTrue();
        for (int i = 1; i <= 4; i++) {
            assertThat(r.poll()).isEqualTo(i);
        }
        assertThat(r.poll()).isNull();
        assertThat(r.size()).isZero();
    }

    @Test
    void rejectsACapacityThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new SpscRing<>(6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(30)
    void passesEveryElementOnceAndInOrderBetweenTwoThreads() throws InterruptedException {
        int n = 500_000;
        SpscRing<int[]> r = new SpscRing<>(64);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < n; ) {
                int[] e = {i, ~i}; // two plain writes the consumer must see through the release/acquire pair
                while (!r.offer(e)) {
                    Thread.yield();
                }
                i++;
            }
        }, "spsc-producer");
        producer.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        producer.start();
        for (int expect = 0; expect < n; ) {
            int[] e = r.poll();
            if (e == null) {
                Thread.yield();
                continue;
            }
            assertThat(e[0]).isEqualTo(expect);
            assertThat(e[1]).isEqualTo(~expect);
            expect++;
        }
        producer.join();
        assertThat(failure.get()).isNull();
        assertThat(r.poll()).isNull();
    }
}
