package dev.andromeda.testbed.fastpath.psp;

import java.util.Objects;

/**
 * A PSP security association: what one direction of a PSP flow needs to seal
 * or open its packets. Immutable; its key is never handed out except as a copy.
 *
 * @see PspKeyDerivation
 */
public final class PspSa {
    /** Largest crypt offset: the header field has 6 bits (the top two are reserved). */
    public static final int MAX_CRYPT_OFFSET = 0x3F;
    /** The SPI bit that selects master key 1 (set) or master key 0 (clear). */
    public static final int MASTER_KEY_SELECTOR = 0x8000_0000;

    private final int spi;
    private final PspVersion version;
    private final byte[] key;
    private final int cryptOffset;
    private final boolean virtualizationCookie;

    /**
     * @param spi                  the security parameters index
     * @param version              the PSP version (algorithm and key length)
     * @param key                  the derived key, {@code version.keyBytes()} long (copied)
     * @param cryptOffset          how many 4-octet units after the PSP base header stay in clear (0..63)
     * @param virtualizationCookie whether sealed packets carry the 8-byte virtualization cookie
     * @throws IllegalArgumentException for a key of the wrong length or a crypt offset out of range
     */
    public PspSa(int spi, PspVersion version, byte[] key, int cryptOffset, boolean virtualizationCookie) {
        this.version = Objects.requireNonNull(version, "version");
        if (key.length != version.keyBytes()) {
            throw new IllegalArgumentException(version + " needs a " + version.keyBytes() + "-byte key, was "
                    + key.length);
        }
        if (cryptOffset < 0 || cryptOffset > MAX_CRYPT_OFFSET) {
            throw new IllegalArgumentException("crypt offset must be 0.." + MAX_CRYPT_OFFSET + " (4-octet units): "
                    + cryptOffset);
        }
        this.spi = spi;
        this.key = key.clone();
        this.cryptOffset = cryptOffset;
        this.virtualizationCookie = virtualizationCookie;
    }

    /** An SA without the virtualization cookie, its key derived from the master key the SPI selects. */
    public static PspSa derive(byte[] masterKey0, byte[] masterKey1, int spi, PspVersion version, int cryptOffset) {
        return derive(masterKey0, masterKey1, spi, version, cryptOffset, false);
    }

    /** An SA whose key is derived from master key 1 if the SPI's top bit is set, master key 0 otherwise. */
    public static PspSa derive(byte[] masterKey0, byte[] masterKey1, int spi, PspVersion version, int cryptOffset,
                               boolean virtualizationCookie) {
        byte[] master = (spi & MASTER_KEY_SELECTOR) != 0 ? masterKey1 : masterKey0;
        return new PspSa(spi, version, PspKeyDerivation.derive(master, spi, version), cryptOffset,
                virtualizationCookie);
    }

    public int spi() {
        return spi;
    }

    public PspVersion version() {
        return version;
    }

    /** A copy of the key. */
    public byte[] key() {
        return key.clone();
    }

    /** The key itself, for the hot path (CryptoBatch.add copies it into the descriptor). Never modify it. */
    byte[] keyForDescriptor() {
        return key;
    }

    /** Crypt offset in 4-octet units. */
    public int cryptOffset() {
        return cryptOffset;
    }

    public boolean virtualizationCookie() {
        return virtualizationCookie;
    }

    /** Bytes of the PSP header this SA writes: 16, or 24 with the virtualization cookie. */
    public int headerBytes() {
        return PspHeader.HEADER_BYTES + (virtualizationCookie ? PspHeader.VC_BYTES : 0);
    }

    @Override
    public String toString() {
        // Key material stays out of logs.
        return String.format("PspSa[spi=%08x, %s, cryptOffset=%d, vc=%b]", spi, version, cryptOffset,
                virtualizationCookie);
    }
}
