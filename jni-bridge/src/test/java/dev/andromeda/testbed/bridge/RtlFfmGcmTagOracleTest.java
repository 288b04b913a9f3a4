package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.GcmTagOracleContract;

class RtlFfmGcmTagOracleTest extends GcmTagOracleContract {
    @Override
    protected String backend() {
        return "rtl-ffm";
    }
}
