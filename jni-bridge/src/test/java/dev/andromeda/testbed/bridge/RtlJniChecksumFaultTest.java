package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.ChecksumFaultContract;

class RtlJniChecksumFaultTest extends ChecksumFaultContract {
    @Override
    protected String backend() {
        return "rtl-jni";
    }
}
