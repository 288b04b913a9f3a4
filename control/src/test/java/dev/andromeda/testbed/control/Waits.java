package dev.andromeda.testbed.control;

import java.util.function.BooleanSupplier;

/** Bounded waiting for the control plane's tests: every wait has a deadline and says what it waited for. */
public final class Waits {
    private Waits() {
    }

    /** Polls {@code ok} every 5 ms for up to 20 s; fails naming {@code what}. */
    public static void await(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 20 s waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }
}
