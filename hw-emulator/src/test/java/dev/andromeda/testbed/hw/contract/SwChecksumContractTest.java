package dev.andromeda.testbed.hw.contract;

class SwChecksumContractTest extends ChecksumOffloadContract {
    @Override
    protected String implementation() {
        return "sw";
    }
}
