package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.ChecksumFaultContract;

class RtlFfmChecksumFaultTest extends ChecksumFaultContract {
    @Override
    protected String backend() {
        return "rtl-ffm";
    }
}
