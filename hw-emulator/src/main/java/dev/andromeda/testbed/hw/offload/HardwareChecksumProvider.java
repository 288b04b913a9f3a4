package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;

/** The checksum stage on {@code csum_offload} behind a backend. */
public class HardwareChecksumProvider extends HardwareProvider<ChecksumOffload> implements ChecksumOffloadProvider {
    protected HardwareChecksumProvider(HardwareBackend backend) {
        super(backend, CsumOffloadModule.BLOCK);
    }

    @Override
    protected ChecksumOffload create(HardwareModel model, OffloadOptions options) {
        return new HardwareChecksumOffload(model, options);
    }
}
