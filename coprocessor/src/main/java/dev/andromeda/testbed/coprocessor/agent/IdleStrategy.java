package dev.andromeda.testbed.coprocessor.agent;

/** What a thread does between duty cycles; one instance per thread (it keeps state). */
public interface IdleStrategy {

    /** Called after each duty cycle with the work it did; idles only when that was 0. */
    void idle(int workCount);

    /** Forgets the backoff state. */
    void reset();

    /** Never idles: for tests that drive agents by hand, and for threads that own a core. */
    IdleStrategy BUSY_SPIN = new IdleStrategy() {
        @Override
        public void idle(int workCount) {
            if (workCount == 0) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void reset() {
        }
    };
}
