package dev.andromeda.testbed.hw.contract;

class EmuCopyContractTest extends CopyOffloadContract {
    @Override
    protected String implementation() {
        return "emu";
    }
}
