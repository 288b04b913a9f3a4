package dev.andromeda.testbed.hw.contract;

class SwCryptoContractTest extends CryptoOffloadContract {
    @Override
    protected String implementation() {
        return "sw";
    }
}
