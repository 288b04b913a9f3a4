package dev.andromeda.testbed.fastpath.psp;

import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;

/** The PSP round-trip contract on the {@code sw} crypto stage's JDK engine (the fallback). */
class SwJdkPspRoundTripTest extends PspRoundTripContract {
    @Override
    protected CryptoOffload stage() {
        return new SoftwareGcm(SoftwareGcm.ENGINE_JDK);
    }
}
