package dev.andromeda.testbed.hw.contract;

class EmuDmaCopyFaultTest extends DmaCopyFaultContract {
    @Override
    protected String backend() {
        return "emu";
    }
}
