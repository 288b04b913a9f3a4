package dev.andromeda.testbed.tb.fuzz;

import java.nio.charset.StandardCharsets;

/** A Jazzer target with a bug planted behind a string comparison: what a finding looks like. */
public final class PlantedBugFuzz {
    private PlantedBugFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (new String(data, StandardCharsets.ISO_8859_1).startsWith("planted")) {
            throw new IllegalStateException("the planted bug");
        }
    }
}
