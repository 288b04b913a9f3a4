package dev.andromeda.testbed.hw.contract;

class EmuChecksumFaultTest extends ChecksumFaultContract {
    @Override
    protected String backend() {
        return "emu";
    }
}
