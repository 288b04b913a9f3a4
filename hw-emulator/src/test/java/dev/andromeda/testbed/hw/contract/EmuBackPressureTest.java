package dev.andromeda.testbed.hw.contract;

class EmuBackPressureTest extends BackPressureContract {
    @Override
    protected String backend() {
        return "emu";
    }
}
