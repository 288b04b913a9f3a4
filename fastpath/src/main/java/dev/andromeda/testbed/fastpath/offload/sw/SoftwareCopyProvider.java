package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;

/** Registers {@link SoftwareCopy} as {@code sw}. */
public final class SoftwareCopyProvider implements CopyOffloadProvider {
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
    public CopyOffload open(OffloadOptions options) {
        return new SoftwareCopy();
    }
}
