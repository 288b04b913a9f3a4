package dev.andromeda.testbed.fastpath.psp;

/**
 * Outcomes of {@link PspTransport}'s per-packet calls: {@link #OK} or a
 * negative reason the packet was dropped. Plain ints, so the hot path returns
 * a reason without allocating or throwing; {@code -status} indexes the drop
 * counters.
 */
public final class PspStatus {
    public static final int OK = 0;
    /** Not Ethernet/IPv4, or its lengths contradict each other or the frame. */
    public static final int MALFORMED = -1;
    /** IPv4 but not UDP to port 1000. */
    public static final int NOT_PSP = -2;
    /** PSP header invalid: always-1 bit clear, header length not 16 or 24, V bit and length disagree. */
    public static final int BAD_HEADER = -3;
    /** The header's SPI is not the SA's. */
    public static final int WRONG_SPI = -4;
    /** The header's version is not the SA's. */
    public static final int WRONG_VERSION = -5;
    /** The crypt offset reaches beyond the protected payload. */
    public static final int CRYPT_OFFSET_TOO_LARGE = -6;
    /** No headroom for the UDP and PSP headers, or no tailroom for the ICV, in the buffer. */
    public static final int NO_ROOM = -7;
    /** Beyond what IPv4 or the crypto block takes (text over 16,384 bytes, AAD over 65,535). */
    public static final int TOO_LARGE = -8;
    /** The crypto batch has no free descriptor. */
    public static final int BATCH_FULL = -9;
    /** The ICV did not verify: tampered, or the wrong key. */
    public static final int AUTH_FAILED = -10;
    /** The crypto stage refused the descriptor. */
    public static final int CRYPTO_REJECTED = -11;
    /** The descriptor was not processed, or does not belong to this frame. */
    public static final int NOT_PROCESSED = -12;

    /** Number of statuses (OK and every reason): the size of a counter array indexed by {@code -status}. */
    public static final int COUNT = 13;

    private static final String[] NAMES = {"OK", "MALFORMED", "NOT_PSP", "BAD_HEADER", "WRONG_SPI",
        "WRONG_VERSION", "CRYPT_OFFSET_TOO_LARGE", "NO_ROOM", "TOO_LARGE", "BATCH_FULL", "AUTH_FAILED",
        "CRYPTO_REJECTED", "NOT_PROCESSED"};

    private PspStatus() {
    }

    /** The constant's name, e.g. {@code AUTH_FAILED}; a non-negative value (a descriptor index) is {@code OK}. */
    public static String name(int status) {
        if (status >= 0) {
            return "OK";
        }
        return -status < COUNT ? NAMES[-status] : "UNKNOWN(" + status + ")";
    }
}
