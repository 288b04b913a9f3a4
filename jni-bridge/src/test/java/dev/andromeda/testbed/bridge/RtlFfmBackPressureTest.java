package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.BackPressureContract;

class RtlFfmBackPressureTest extends BackPressureContract {
    @Override
    protected String backend() {
        return "rtl-ffm";
    }
}
