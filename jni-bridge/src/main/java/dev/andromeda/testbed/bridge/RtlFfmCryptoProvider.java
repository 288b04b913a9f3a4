package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.bridge.ffm.FfmBackend;
import dev.andromeda.testbed.hw.offload.HardwareCryptoProvider;

/** Registers the crypto stage on the Verilated RTL through FFM as {@code rtl-ffm}. */
public final class RtlFfmCryptoProvider extends HardwareCryptoProvider {
    public RtlFfmCryptoProvider() {
        super(new FfmBackend());
    }
}
