package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.psp.PspRoundTripContract;

/** PSP transport mode with the crypto stage on the Java model of aes_gcm. */
class EmuPspRoundTripTest extends PspRoundTripContract {
    @Override
    protected CryptoOffload stage() {
        return Backends.require(dev.andromeda.testbed.fastpath.offload.Offloads.provider(
                CryptoOffloadProvider.class, "emu")).open(OffloadOptions.defaults());
    }
}
