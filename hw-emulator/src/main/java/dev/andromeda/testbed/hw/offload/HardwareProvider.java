package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.OffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadStage;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;

/**
 * A stage on one hardware block behind one backend, named after the backend
 * ({@code emu}, {@code rtl-jni}, {@code rtl-ffm}). Each backend registers a
 * subclass per stage as a service.
 *
 * @param <S> the stage
 */
public abstract class HardwareProvider<S extends OffloadStage> implements OffloadProvider<S> {
    private final HardwareBackend backend;
    private final String block;

    protected HardwareProvider(HardwareBackend backend, String block) {
        this.backend = backend;
        this.block = block;
    }

    @Override
    public final String name() {
        return backend.name();
    }

    @Override
    public final boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    @Override
    public final String unavailabilityCause() {
        if (!backend.isAvailable()) {
            return backend.unavailabilityCause();
        }
        return backend.blocks().contains(block) ? null
                : backend.name() + " has no " + block + " model (it has " + backend.blocks() + ")";
    }

    @Override
    public final S open(OffloadOptions options) {
        return create(backend.open(block), options);
    }

    /** The stage over a freshly opened, reset model; it owns the model. */
    protected abstract S create(HardwareModel model, OffloadOptions options);
}
