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

    /** Which engine {@code sw} runs here, and why. */
    @Override
    public String detail() {
        String forced = System.getProperty(SoftwareGcm.ENGINE_PROPERTY);
        if (forced != null && !forced.isEmpty()) {
            return "engine " + forced + " (set by -D" + SoftwareGcm.ENGINE_PROPERTY + ")";
        }
        String cause = SoftwareGcm.opensslUnavailabilityCause();
        return cause == null ? "engine openssl (" + SoftwareGcm.opensslLibrary() + ", through FFM)"
                : "engine jdk (AES/GCM/NoPadding): libcrypto not loaded: " + cause;
    }

    @Override
    public CryptoOffload open(OffloadOptions options) {
        return new SoftwareGcm();
    }
}
