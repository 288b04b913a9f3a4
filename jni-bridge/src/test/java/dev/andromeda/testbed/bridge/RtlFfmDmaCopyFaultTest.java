package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.DmaCopyFaultContract;

class RtlFfmDmaCopyFaultTest extends DmaCopyFaultContract {
    @Override
    protected String backend() {
        return "rtl-ffm";
    }
}
