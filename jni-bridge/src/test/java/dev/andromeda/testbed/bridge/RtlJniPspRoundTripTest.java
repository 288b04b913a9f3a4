package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.psp.PspRoundTripContract;
import dev.andromeda.testbed.hw.contract.Backends;

/** PSP transport mode with the crypto stage on the Verilated aes_gcm through JNI. */
class RtlJniPspRoundTripTest extends PspRoundTripContract {
    @Override
    protected CryptoOffload stage() {
        return Backends.require(Offloads.provider(CryptoOffloadProvider.class, "rtl-jni"))
                .open(OffloadOptions.defaults());
    }
}
