package dev.andromeda.testbed.tb.cosim;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;

import dev.andromeda.testbed.testkit.coverage.CoverGroup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * aes_gcm: random seals and opens, AES-128 and AES-256, AAD and text lengths
 * on and off 16-byte multiples (empty included); a quarter of the opens carry
 * a tampered tag, AAD or ciphertext and must fail without releasing plaintext.
 * Opens take ciphertexts sealed by the oracle first.
 */
public final class GcmCosim implements CosimCase {

    @Override
    public Stage stage() {
        return Stage.CRYPTO;
    }

    @Override
    public CoverGroup newCoverGroup() {
        CoverGroup g = new CoverGroup("aes_gcm jobs");
        g.point("op").bin("seal", 0).bin("open", 1);
        g.point("key bits").bin("128", 128).bin("256", 256);
        g.point("aad length").bin("0", 0).range("1-15", 1, 15).bin("16", 16).range("17-64", 17, 64);
        g.point("text length").bin("0", 0).range("1-15", 1, 15).range("16-1600", 16, 1600)
                .range("1601-16K", 1601, CryptoBatch.MAX_TEXT);
        g.point("text whole blocks").bin("partial last block", 0).bin("multiple of 16", 1);
        g.point("tampered open").bin("none", 0).bin("tag", 1).bin("aad", 2).bin("text", 3);
        return g;
    }

    @Override
    public CosimOutcome run(String impl, long seed, int jobs, OffloadOptions options, CoverGroup cover) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] aadLen = new int[jobs];
        int[] textLen = new int[jobs];
        long total = 0;
        for (int i = 0; i < jobs; i++) {
            aadLen[i] = pickLength(r, 64);
            textLen[i] = r.nextInt(8) == 0 ? r.nextInt(CryptoBatch.MAX_TEXT + 1) : pickLength(r, 1600);
            total += aadLen[i] + textLen[i] + CryptoBatch.TAG_BYTES;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment expected = arena.allocate(Math.max(total, 1), 64);
            for (long i = 0; i < expected.byteSize(); i++) {
                expected.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt(256));
            }
            byte[][] keys = new byte[jobs][];
            byte[][] ivs = new byte[jobs][];
            boolean[] open = new boolean[jobs];
            long[] aad = new long[jobs];
            long[] text = new long[jobs];
            long[] tag = new long[jobs];
            long at = 0;
            for (int i = 0; i < jobs; i++) {
                keys[i] = bytes(r, r.nextBoolean() ? 16 : 32);
                ivs[i] = bytes(r, CryptoBatch.IV_BYTES);
                open[i] = r.nextBoolean();
                aad[i] = at;
                text[i] = aad[i] + aadLen[i];
                tag[i] = text[i] + textLen[i];
                at = tag[i] + CryptoBatch.TAG_BYTES;
            }
            // Opens need real ciphertexts: seal them with the oracle first, then tamper some.
            try (CryptoBatch prep = new CryptoBatch(jobs, expected);
                 CryptoOffload sealer = Offloads.open(CryptoOffloadProvider.class, "sw", OffloadOptions.defaults())) {
                for (int i = 0; i < jobs; i++) {
                    if (open[i]) {
                        prep.add(CryptoBatch.OP_SEAL, keys[i], ivs[i], aad[i], aadLen[i], text[i], textLen[i], tag[i]);
                    }
                }
                if (prep.size() > 0) {
                    sealer.process(prep);
                }
            }
            for (int i = 0; i < jobs; i++) {
                cover.point("op").sample(open[i]);
                cover.point("key bits").sample(keys[i].length * 8L);
                cover.point("aad length").sample(aadLen[i]);
                cover.point("text length").sample(textLen[i]);
                cover.point("text whole blocks").sample(textLen[i] % 16 == 0);
                if (open[i] && r.nextInt(4) == 0) {
                    int what = r.nextInt(3);
                    boolean onTag = what == 0 || (what == 1 && aadLen[i] == 0) || (what == 2 && textLen[i] == 0);
                    cover.point("tampered open").sample(onTag ? 1 : what == 1 ? 2 : 3);
                    long where = onTag
                            ? tag[i] + r.nextInt(CryptoBatch.TAG_BYTES)
                            : what == 1 ? aad[i] + r.nextInt(aadLen[i]) : text[i] + r.nextInt(textLen[i]);
                    expected.set(ValueLayout.JAVA_BYTE, where,
                            (byte) (expected.get(ValueLayout.JAVA_BYTE, where) ^ (1 << r.nextInt(8))));
                } else if (open[i]) {
                    cover.point("tampered open").sample(0);
                }
            }
            MemorySegment actual = arena.allocate(expected.byteSize(), 64);
            actual.copyFrom(expected);
            try (CryptoBatch want = new CryptoBatch(jobs, expected);
                 CryptoBatch got = new CryptoBatch(jobs, actual);
                 CryptoOffload oracle = Offloads.open(CryptoOffloadProvider.class, "sw", OffloadOptions.defaults());
                 CryptoOffload dut = Offloads.open(CryptoOffloadProvider.class, impl, options)) {
                for (int i = 0; i < jobs; i++) {
                    int op = open[i] ? CryptoBatch.OP_OPEN : CryptoBatch.OP_SEAL;
                    want.add(op, keys[i], ivs[i], aad[i], aadLen[i], text[i], textLen[i], tag[i]);
                    got.add(op, keys[i], ivs[i], aad[i], aadLen[i], text[i], textLen[i], tag[i]);
                }
                oracle.process(want);
                dut.process(got);
                int mismatches = 0;
                String first = null;
                for (int i = 0; i < jobs; i++) {
                    String why = null;
                    if (got.status(i) != want.status(i)) {
                        why = "status " + got.status(i) + ", expected " + want.status(i);
                    } else {
                        long d = Compare.firstDifference(actual, expected, text[i], textLen[i]);
                        long t = Compare.firstDifference(actual, expected, tag[i], CryptoBatch.TAG_BYTES);
                        if (d >= 0) {
                            why = "text byte " + d + " differs";
                        } else if (t >= 0) {
                            why = "tag byte " + t + " differs";
                        }
                    }
                    if (why != null) {
                        mismatches++;
                        if (first == null) {
                            first = (open[i] ? "open " : "seal ") + i + " (AES-" + keys[i].length * 8 + ", aad "
                                    + aadLen[i] + ", text " + textLen[i] + " bytes): " + why;
                        }
                    }
                }
                return new CosimOutcome(jobs, mismatches, dut.counters().hwCycles(), dut.counters().simWallNs(), first);
            }
        }
    }

    /** Lengths that are and are not multiples of 16, empty included. */
    private static int pickLength(SplittableRandom r, int max) {
        return switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 16 * r.nextInt(max / 16 + 1);
            default -> r.nextInt(max + 1);
        };
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }
}
