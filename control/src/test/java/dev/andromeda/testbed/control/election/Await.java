package dev.andromeda.testbed.control.election;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting for tests: every wait has a deadline. */
final class Await {
    private Await() {}

    /** Waits until {@code condition} holds; fails with {@code what} after {@code limit}. Returns elapsed ms. */
    static long until(Duration limit, String what, BooleanSupplier condition) {
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Waits until {@code supplier} returns non-null, and returns it. */
    static <T> T value(Duration limit, String what, Supplier<T> supplier) {
        Object[] box = new Object[1];
        until(limit, what, () -> (box[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }
}
