package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.GcmFaultContract;

class RtlFfmGcmFaultTest extends GcmFaultContract {
    @Override
    protected String backend() {
        return "rtl-ffm";
    }
}
