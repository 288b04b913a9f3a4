package dev.andromeda.testbed.hw.contract;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** One checksum job of the contract test, and the generators of such jobs. */
public record ChecksumCase(String label, byte[] data, int start, int insert, int seed) {

    public static final int MAX_PACKET = 9216;

    @Override
    public String toString() {
        String hex = data.length <= 32 ? HexFormat.of().formatHex(data) : data.length + " bytes";
        return label + " [len=" + data.length + " start=" + start + " insert=" + insert + " seed=" + seed + " " + hex
                + "]";
    }

    /** A job with random data, start and insert drawn from r. */
    public static ChecksumCase random(String label, Random r, int length) {
        byte[] data = new byte[length];
        r.nextBytes(data);
        int start = r.nextInt(length + 1);
        int insert = length >= 2 && r.nextBoolean() ? r.nextInt(length - 1) : -1;
        return new ChecksumCase(label, data, start, insert, r.nextInt(0x10000));
    }

    /** Filled with one byte value; start and insert given. */
    public static ChecksumCase filled(String label, int length, int value, int start, int insert, int seed) {
        byte[] data = new byte[length];
        java.util.Arrays.fill(data, (byte) value);
        return new ChecksumCase(label, data, start, insert, seed);
    }

    /**
     * The contract's packet sizes: every length 0..130, a stride to 9,216, and
     * the edges (odd and even around every beat boundary, the jumbo maximum).
     */
    public static List<Integer> lengths() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i <= 130; i++) {
            l.add(i);
        }
        for (int i = 131; i < MAX_PACKET; i += 97) {
            l.add(i);
        }
        l.addAll(List.of(1499, 1500, 1514, 1518, 4095, 4096, 4097, 9000, 9215, MAX_PACKET));
        return l;
    }

    /** Every job kind the contract names, from one seed. */
    public static List<ChecksumCase> contractCases(long seed) {
        Random r = new Random(seed);
        List<ChecksumCase> cases = new ArrayList<>();
        for (int len : lengths()) {
            cases.add(random("random", r, len));
        }
        for (int len : List.of(0, 1, 2, 3, 7, 8, 9, 64, 65, 1500, MAX_PACKET)) {
            cases.add(filled("zeros", len, 0x00, 0, -1, 0));
            cases.add(filled("ones", len, 0xFF, 0, -1, 0));
            cases.add(filled("ones+seed", len, 0xFF, 0, -1, 0xFFFF));
            if (len >= 2) {
                cases.add(filled("zeros-insert", len, 0x00, 0, len - 2, 0));
                cases.add(filled("ones-insert-front", len, 0xFF, len / 2, 0, 0x1234));
            }
        }
        // Odd and even starts, insert before, inside and after the summed range, both lanes of a beat.
        for (int start = 0; start < 24; start++) {
            for (int insert : new int[] {-1, 0, 1, start, Math.max(0, start - 1), 40, 61, 62}) {
                ChecksumCase c = random("start" + start, r, 64 + r.nextInt(9));
                cases.add(new ChecksumCase("start/insert", c.data(), start, insert, c.seed()));
            }
        }
        return cases;
    }
}
