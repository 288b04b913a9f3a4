package dev.andromeda.testbed.hw.contract;

import java.util.HexFormat;
import java.util.List;

/**
 * Published AES-GCM test vectors with 96-bit IVs: McGrew and Viega, "The
 * Galois/Counter Mode of Operation (GCM)", test cases 1-4 (AES-128) and 13-16
 * (AES-256), as also used by NIST's GCM validation.
 */
public final class GcmVectors {
    private GcmVectors() {
    }

    public record Vector(String name, byte[] key, byte[] iv, byte[] aad, byte[] pt, byte[] ct, byte[] tag) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String K3 = "feffe9928665731c6d6a8f9467308308";
    private static final String IV3 = "cafebabefacedbaddecaf888";
    private static final String P3 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    private static final String P4 = P3.substring(0, 120);
    private static final String A4 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    private static final String C3 = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";
    private static final String C15 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

    public static final List<Vector> ALL = List.of(
            v("McGrew-Viega 1", "00000000000000000000000000000000", "000000000000000000000000", "", "", "",
                    "58e2fccefa7e3061367f1d57a4e7455a"),
            v("McGrew-Viega 2", "00000000000000000000000000000000", "000000000000000000000000", "",
                    "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
                    "ab6e47d42cec13bdf53a67b21257bddf"),
            v("McGrew-Viega 3", K3, IV3, "", P3, C3, "4d5c2af327cd64a62cf35abd2ba6fab4"),
            v("McGrew-Viega 4", K3, IV3, A4, P4, C3.substring(0, 120), "5bc94fbc3221a5db94fae95ae7121a47"),
            v("McGrew-Viega 13", "0".repeat(64), "000000000000000000000000", "", "", "",
                    "530f8afbc74536b9a963b4f1c4cb738b"),
            v("McGrew-Viega 14", "0".repeat(64), "000000000000000000000000", "",
                    "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
                    "d0d1c8a799996bf0265b98b5d48ab919"),
            v("McGrew-Viega 15", K3 + K3, IV3, "", P3, C15, "b094dac5d93471bdec1a502270e3cc6c"),
            v("McGrew-Viega 16", K3 + K3, IV3, A4, P4, C15.substring(0, 120), "76fc6ece0f4e1768cddf8853bb2d551b"));

    private static Vector v(String name, String k, String iv, String a, String p, String c, String t) {
        HexFormat h = HexFormat.of();
        return new Vector(name, h.parseHex(k), h.parseHex(iv), h.parseHex(a), h.parseHex(p), h.parseHex(c),
                h.parseHex(t));
    }
}
