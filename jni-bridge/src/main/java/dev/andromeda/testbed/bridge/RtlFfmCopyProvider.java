package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.bridge.ffm.FfmBackend;
import dev.andromeda.testbed.hw.offload.HardwareCopyProvider;

/** Registers the copy stage on the Verilated RTL through FFM as {@code rtl-ffm}. */
public final class RtlFfmCopyProvider extends HardwareCopyProvider {
    public RtlFfmCopyProvider() {
        super(new FfmBackend());
    }
}
