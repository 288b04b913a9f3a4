package dev.andromeda.testbed.hw.contract;

class EmuGcmTagOracleTest extends GcmTagOracleContract {
    @Override
    protected String backend() {
        return "emu";
    }
}
