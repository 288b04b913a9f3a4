package dev.andromeda.testbed.coprocessor;

/**
 * Seeds for randomized tests: {@code -Dcoprocessor.seed=N} replays a run; otherwise a fresh seed.
 * {@link #reportingSeed} puts the seed into any failure's message.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long seed() {
        Long fixed = Long.getLong("coprocessor.seed");
        return fixed != null ? fixed : System.nanoTime() ^ Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L;
    }

    public interface Body {
        void run(long seed) throws Exception;
    }

    /** Runs the body; on failure rethrows with the seed (and how to replay it) in the message. */
    public static void reportingSeed(Body body) throws Exception {
        long seed = seed();
        try {
            body.run(seed);
        } catch (AssertionError | RuntimeException e) {
            AssertionError wrapped = new AssertionError("failed with seed " + seed + " (replay: -Dcoprocessor.seed="
                    + seed + "): " + e.getMessage(), e);
            throw wrapped;
        }
    }
}
