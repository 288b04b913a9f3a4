package dev.andromeda.testbed.tb.report;

import java.util.Locale;

/** Counts in words a person reads: "1 network", "2 networks", "1,500 bytes". */
public final class Words {
    private Words() {
    }

    /** {@code n} and the noun, plural with an "s" unless {@code n} is 1. */
    public static String count(long n, String singular) {
        return String.format(Locale.ROOT, "%,d %s%s", n, singular, n == 1 ? "" : "s");
    }
}
