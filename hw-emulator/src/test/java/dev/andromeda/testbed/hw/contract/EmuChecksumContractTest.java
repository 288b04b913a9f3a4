package dev.andromeda.testbed.hw.contract;

class EmuChecksumContractTest extends ChecksumOffloadContract {
    @Override
    protected String implementation() {
        return "emu";
    }
}
