package dev.andromeda.testbed.tb.jobs;

import java.util.HexFormat;

/** Hex strings of job files: even length, digits 0-9a-fA-F, no separators. */
public final class Hex {
    private Hex() {
    }

    /** @throws IllegalArgumentException saying what is wrong and where */
    public static byte[] decode(String field, String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("'" + field + "' has an odd number of hex digits (" + hex.length() + ")");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("'" + field + "' has a non-hex character '" + hex.charAt(i)
                        + "' at position " + i);
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    public static String encode(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
