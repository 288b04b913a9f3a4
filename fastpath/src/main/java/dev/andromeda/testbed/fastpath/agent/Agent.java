package dev.andromeda.testbed.fastpath.agent;

/**
 * One role on one thread (Agrona's Agent): a duty cycle that does what work
 * there is and says how much, so an {@link IdleStrategy} alone decides whether
 * to spin, yield or park when there was none.
 */
@FunctionalInterface
public interface Agent {
    /** One duty cycle; returns the work done (0 when there was nothing to do). */
    int doWork();
}
