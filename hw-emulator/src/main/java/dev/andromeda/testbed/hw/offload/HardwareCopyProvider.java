package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;

/** The copy stage on {@code DmaCopyModule} behind a backend. */
public class HardwareCopyProvider extends HardwareProvider<CopyOffload> implements CopyOffloadProvider {
    protected HardwareCopyProvider(HardwareBackend backend) {
        super(backend, DmaCopyModule.BLOCK);
    }

    @Override
    protected CopyOffload create(HardwareModel model, OffloadOptions options) {
        return new HardwareCopyOffload(model, options);
    }
}
