package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;

/** Registers {@link SoftwareGcm} as {@code sw}. */
public final class SoftwareGcmProvider implements CryptoOffloadProvider {
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
    public CryptoOffload open(OffloadOptions options) {
        return new SoftwareGcm();
    }
}
