package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;

/** Registers {@link SoftwareChecksum} as {@code sw}. */
public final class SoftwareChecksumProvider implements ChecksumOffloadProvider {
    @Override
    public String name() {
        return "sw";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String unavailabilityCause() {
        return null;
    }

    @Override
    public ChecksumOffload open(OffloadOptions options) {
        return new SoftwareChecksum();
    }
}
