package dev.andromeda.testbed.fastpath.psp;

/**
 * The PSP versions: the 4-bit version field of the PSP header picks the AEAD
 * algorithm and with it the length of the security association's key.
 *
 * <pre>
 *  code  name           key   payload after the crypt offset
 *   0    AES-GCM-128    16 B  encrypted and authenticated
 *   1    AES-GCM-256    32 B  encrypted and authenticated
 *   2    AES-GMAC-128   16 B  authenticated only (sent in clear)
 *   3    AES-GMAC-256   32 B  authenticated only (sent in clear)
 * </pre>
 */
public enum PspVersion {
    AES_GCM_128(0, 16, true),
    AES_GCM_256(1, 32, true),
    AES_GMAC_128(2, 16, false),
    AES_GMAC_256(3, 32, false);

    private static final PspVersion[] BY_CODE = values();

    private final int code;
    private final int keyBytes;
    private final boolean encrypts;

    PspVersion(int code, int keyBytes, boolean encrypts) {
        this.code = code;
        this.keyBytes = keyBytes;
        this.encrypts = encrypts;
    }

    /** The value of the header's version field. */
    public int code() {
        return code;
    }

    /** Length of the derived security-association key: 16 or 32. */
    public int keyBytes() {
        return keyBytes;
    }

    /** True for AES-GCM (payload encrypted), false for AES-GMAC (payload only authenticated). */
    public boolean encrypts() {
        return encrypts;
    }

    /** The version with this header code, or null for a code this implementation does not know (4..15). */
    public static PspVersion fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
