package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;

import java.util.List;

/** What the JNI and FFM backends share: the built models and the reset on open. */
public abstract class RtlBackend implements HardwareBackend {
    /** Cycles of reset on open, as for the Java models. */
    public static final int RESET_CYCLES = 4;

    private volatile String probed;
    /** The libraries the probe was made for: probed again when NativeModels serves others. */
    private volatile NativeModels probedFor;

    @Override
    public final List<String> blocks() {
        return NativeModels.get().blocks();
    }

    @Override
    public final boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    @Override
    public final String unavailabilityCause() {
        NativeModels models = NativeModels.get();
        if (probedFor != models) {
            synchronized (this) {
                if (probedFor != models) {
                    probed = models.isAvailable() ? probeBackend(models) : models.unavailabilityCause();
                    probedFor = models;
                }
            }
        }
        return probed;
    }

    @Override
    public final HardwareModel open(String block) {
        String cause = unavailabilityCause();
        if (cause != null) {
            throw new IllegalStateException(name() + " is unavailable: " + cause);
        }
        if (!blocks().contains(block)) {
            throw new IllegalArgumentException(name() + " has no model of '" + block + "'; it has " + blocks());
        }
        HardwareModel m = create(block, NativeModels.get());
        m.reset(RESET_CYCLES);
        return m;
    }

    /** Loads what this backend needs beyond the libraries; null when it works, else why not. */
    protected abstract String probeBackend(NativeModels models);

    protected abstract HardwareModel create(String block, NativeModels models);
}
