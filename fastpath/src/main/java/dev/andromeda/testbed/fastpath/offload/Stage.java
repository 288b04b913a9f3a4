package dev.andromeda.testbed.fastpath.offload;

/** The offloadable stages, each with its provider type and the hardware block behind it. */
public enum Stage {
    CHECKSUM("checksum", ChecksumOffloadProvider.class, "csum_offload"),
    COPY("copy", CopyOffloadProvider.class, "dma_copy"),
    CRYPTO("crypto", CryptoOffloadProvider.class, "aes_gcm");

    private final String label;
    private final Class<? extends OffloadProvider<?>> providerType;
    private final String block;

    Stage(String label, Class<? extends OffloadProvider<?>> providerType, String block) {
        this.label = label;
        this.providerType = providerType;
        this.block = block;
    }

    public String label() {
        return label;
    }

    public Class<? extends OffloadProvider<?>> providerType() {
        return providerType;
    }

    /** The RTL block that implements the stage in hardware. */
    public String block() {
        return block;
    }
}
