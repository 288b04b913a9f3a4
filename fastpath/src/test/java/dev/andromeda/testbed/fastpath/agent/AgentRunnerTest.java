package dev.andromeda.testbed.fastpath.agent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AgentRunnerTest {

    @Test
    void runsTheDutyCycleUntilClosedAndIdlesOnlyWhenThereWasNoWork() throws Exception {
        AtomicInteger idleWithoutWork = new AtomicInteger();
        AtomicInteger idleAfterWork = new AtomicInteger();
        AtomicInteger left = new AtomicInteger(1000);
        IdleStrategy counting = w -> (w == 0 ? idleWithoutWork : idleAfterWork).incrementAndGet();
        AgentRunner r = new AgentRunner("test-agent", () -> left.getAndDecrement() > 0 ? 1 : 0, counting).start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (r.work() < 1000 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        r.close();
        assertThat(r.isRunning()).isFalse();
        assertThat(r.work()).isEqualTo(1000);
        assertThat(idleAfterWork.get()).isEqualTo(1000);
        assertThat(idleWithoutWork.get()).isPositive();
        assertThat(r.failure()).isNull();
    }

    @Test
    void keepsTheFailureThatStoppedTheLoop() throws Exception {
        AgentRunner r = new AgentRunner("failing", () -> {
            throw new IllegalStateException("boom");
        }, IdleStrategy.BUSY_SPIN).start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (r.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(r.failure()).hasMessage("boom");
        r.close();
    }

    @Test
    void backsOffFromSpinToYieldToParkAndResetsOnWork() {
        BackoffIdleStrategy s = new BackoffIdleStrategy(2, 2, 1_000, 4_000);
        for (int i = 0; i < 4; i++) {
            s.idle(0); // two spins, two yields: no park yet
        }
        assertThat(s.nextParkNs()).isEqualTo(1_000);
        s.idle(0);
        assertThat(s.nextParkNs()).as("parked once, doubled").isEqualTo(2_000);
        s.idle(0);
        s.idle(0);
        assertThat(s.nextParkNs()).as("capped").isEqualTo(4_000);
        s.idle(3);
        assertThat(s.nextParkNs()).as("work resets the backoff").isEqualTo(1_000);
    }
}
