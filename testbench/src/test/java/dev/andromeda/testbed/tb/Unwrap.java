package dev.andromeda.testbed.tb;

/**
 * A message as tb wrote it before wrapping it at the terminal's width ({@link Tb#printError}:
 * continuation lines indented by two), for tests that look for a phrase that may now be split.
 */
public final class Unwrap {
    private Unwrap() {
    }

    public static String of(Object printed) {
        return printed.toString().replace("\n  ", " ");
    }
}
