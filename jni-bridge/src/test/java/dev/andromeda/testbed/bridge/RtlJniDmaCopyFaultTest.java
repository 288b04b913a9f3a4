package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.DmaCopyFaultContract;

class RtlJniDmaCopyFaultTest extends DmaCopyFaultContract {
    @Override
    protected String backend() {
        return "rtl-jni";
    }
}
