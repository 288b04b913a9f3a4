package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.CopyOffloadContract;

class RtlJniCopyContractTest extends CopyOffloadContract {
    @Override
    protected String implementation() {
        return "rtl-jni";
    }
}
