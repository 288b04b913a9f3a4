package dev.andromeda.testbed.hw.contract;

class EmuCryptoContractTest extends CryptoOffloadContract {
    @Override
    protected String implementation() {
        return "emu";
    }
}
