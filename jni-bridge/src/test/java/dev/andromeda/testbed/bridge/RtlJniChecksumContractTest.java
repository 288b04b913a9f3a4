package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.ChecksumOffloadContract;

class RtlJniChecksumContractTest extends ChecksumOffloadContract {
    @Override
    protected String implementation() {
        return "rtl-jni";
    }
}
