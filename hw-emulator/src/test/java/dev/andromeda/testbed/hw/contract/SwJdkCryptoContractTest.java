package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;

/** The crypto contract on the {@code sw} stage's JDK engine, the fallback when libcrypto is missing. */
class SwJdkCryptoContractTest extends CryptoOffloadContract {
    @Override
    protected String implementation() {
        return "sw";
    }

    @Override
    protected CryptoOffload open(OffloadOptions options) {
        return new SoftwareGcm(SoftwareGcm.ENGINE_JDK);
    }
}
