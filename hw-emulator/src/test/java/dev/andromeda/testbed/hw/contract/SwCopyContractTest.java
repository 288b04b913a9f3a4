package dev.andromeda.testbed.hw.contract;

class SwCopyContractTest extends CopyOffloadContract {
    @Override
    protected String implementation() {
        return "sw";
    }
}
