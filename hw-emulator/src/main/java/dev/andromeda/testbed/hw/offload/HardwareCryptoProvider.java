package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;

/** The crypto stage on {@code AesGcmModule} behind a backend. */
public class HardwareCryptoProvider extends HardwareProvider<CryptoOffload> implements CryptoOffloadProvider {
    protected HardwareCryptoProvider(HardwareBackend backend) {
        super(backend, AesGcmModule.BLOCK);
    }

    @Override
    protected CryptoOffload create(HardwareModel model, OffloadOptions options) {
        return new HardwareCryptoOffload(model, options);
    }
}
