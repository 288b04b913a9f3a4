package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.GcmTagOracleContract;

class RtlJniGcmTagOracleTest extends GcmTagOracleContract {
    @Override
    protected String backend() {
        return "rtl-jni";
    }
}
