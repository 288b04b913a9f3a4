package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;

/**
 * The checksum stage on a hardware backend, named after the backend. Each
 * backend registers a subclass as a {@link ChecksumOffloadProvider} service.
 */
public class HardwareChecksumProvider implements ChecksumOffloadProvider {
    private final HardwareBackend backend;

    protected HardwareChecksumProvider(HardwareBackend backend) {
        this.backend = backend;
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public boolean isAvailable() {
        return backend.isAvailable() && backend.blocks().contains(CsumOffloadModule.BLOCK);
    }

    @Override
    public String unavailabilityCause() {
        if (!backend.isAvailable()) {
            return backend.unavailabilityCause();
        }
        return backend.blocks().contains(CsumOffloadModule.BLOCK) ? null
                : backend.name() + " has no " + CsumOffloadModule.BLOCK + " model (it has " + backend.blocks() + ")";
    }

    @Override
    public ChecksumOffload open(OffloadOptions options) {
        return new HardwareChecksumOffload(backend.open(CsumOffloadModule.BLOCK), options);
    }
}
