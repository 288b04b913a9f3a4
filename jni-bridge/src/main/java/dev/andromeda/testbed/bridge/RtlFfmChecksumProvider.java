package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.bridge.ffm.FfmBackend;
import dev.andromeda.testbed.hw.offload.HardwareChecksumProvider;

/** Registers the checksum stage on the Verilated RTL through FFM as {@code rtl-ffm}. */
public final class RtlFfmChecksumProvider extends HardwareChecksumProvider {
    public RtlFfmChecksumProvider() {
        super(new FfmBackend());
    }
}
