package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.GcmFaultContract;

class RtlJniGcmFaultTest extends GcmFaultContract {
    @Override
    protected String backend() {
        return "rtl-jni";
    }
}
