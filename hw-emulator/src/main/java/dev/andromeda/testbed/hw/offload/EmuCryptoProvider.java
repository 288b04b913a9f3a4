package dev.andromeda.testbed.hw.offload;

/** Registers the crypto stage on the Java cycle model as {@code emu}. */
public final class EmuCryptoProvider extends HardwareCryptoProvider {
    public EmuCryptoProvider() {
        super(new EmuBackend());
    }
}
