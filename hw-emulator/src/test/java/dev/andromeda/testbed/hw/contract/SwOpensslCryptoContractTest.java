package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;

/** The crypto contract on the {@code sw} stage's OpenSSL engine (libcrypto through FFM); the JDK stays the oracle. */
class SwOpensslCryptoContractTest extends CryptoOffloadContract {
    @BeforeEach
    void requireLibcrypto() {
        Backends.requireTool("libcrypto", SoftwareGcm.opensslUnavailabilityCause());
    }

    @Override
    protected String implementation() {
        return "sw";
    }

    @Override
    protected CryptoOffload open(OffloadOptions options) {
        SoftwareGcm stage = new SoftwareGcm(SoftwareGcm.ENGINE_OPENSSL);
        assertThat(stage.engine()).isEqualTo(SoftwareGcm.ENGINE_OPENSSL);
        return stage;
    }
}
