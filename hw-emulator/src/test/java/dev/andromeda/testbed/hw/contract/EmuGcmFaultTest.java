package dev.andromeda.testbed.hw.contract;

class EmuGcmFaultTest extends GcmFaultContract {
    @Override
    protected String backend() {
        return "emu";
    }
}
