package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.CryptoOffloadContract;

class RtlFfmCryptoContractTest extends CryptoOffloadContract {
    @Override
    protected String implementation() {
        return "rtl-ffm";
    }
}
