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
        assertThat(r.errors()).isZero();
    }

    @Test
    void countsAndKeepsAFailureAndGoesOnAsAgronasRunnerDoes() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AgentRunner r = new AgentRunner("failing", () -> {
            if (calls.incrementAndGet() % 2 == 1) {
                throw new IllegalStateException("boom");
            }
            return 1;
        }, IdleStrategy.BUSY_SPIN).start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (r.work() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(r.isRunning()).as("one bad duty cycle does not stop the thread").isTrue();
        r.close();
        assertThat(r.isRunning()).isFalse();
        assertThat(r.work()).isGreaterThanOrEqualTo(100);
        assertThat(r.errors()).isBetween(r.work(), r.work() + 1);
        assertThat(r.lastError()).hasMessage("boom");
    }

    @Test
    void runsOnCloseOnTheAgentsOwnThread() {
        java.util.concurrent.atomic.AtomicReference<Thread> closedOn = new java.util.concurrent.atomic.AtomicReference<>();
        Agent agent = new Agent() {
            @Override
            public int doWork() {
                return 0;
            }

            @Override
            public String roleName() {
                return "closing-agent";
            }

            @Override
            public void onClose() {
                closedOn.set(Thread.currentThread());
            }
        };
        AgentRunner r = new AgentRunner(agent, IdleStrategy.backoff(1, 1, 1_000, 10_000)).start();
        r.close();
        assertThat(closedOn.get()).isSameAs(r.thread());
        assertThat(r.thread().getName()).isEqualTo("closing-agent");
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
