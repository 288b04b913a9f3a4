package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.CopyOffloadContract;

class RtlFfmCopyContractTest extends CopyOffloadContract {
    @Override
    protected String implementation() {
        return "rtl-ffm";
    }
}
