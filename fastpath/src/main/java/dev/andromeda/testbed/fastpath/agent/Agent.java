package dev.andromeda.testbed.fastpath.agent;

/**
 * One role on one thread at a time (Agrona's {@code Agent}): {@link #doWork()} does a bounded amount
 * of work and says how much, and the thread's {@link IdleStrategy} alone decides whether to spin,
 * yield or park when it did none. The host dataplane and the coprocessor workers are agents; tests
 * call {@code doWork()} directly.
 */
@FunctionalInterface
public interface Agent {
    /** Does what is ready, never blocks; returns how many pieces of work were done (0: idle). */
    int doWork();

    /** The agent's name, used for its thread. */
    default String roleName() {
        return getClass().getSimpleName();
    }

    /** Called once, on the agent's thread, when it stops. */
    default void onClose() {
    }
}
