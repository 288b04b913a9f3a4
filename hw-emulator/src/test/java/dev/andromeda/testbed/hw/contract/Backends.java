package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadProvider;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.hw.HardwareModel;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Opening a backend in a test: fails when the RTL is required (CI=true, ./tb test), skips with the cause otherwise. */
public final class Backends {
    private Backends() {
    }

    public static HardwareBackend require(String name) {
        HardwareBackend b = HardwareBackends.named(name);
        requireAvailable(name, b.isAvailable(), b.unavailabilityCause());
        return b;
    }

    private static void requireAvailable(String name, boolean available, String cause) {
        if (!available && HardwareBackends.rtlRequired()) {
            fail(name + " is required here (CI=true or tb.rtl.required) but unavailable: " + cause);
        }
        // Only a plain developer build without Verilator gets here unavailable: skip, saying why.
        assumeTrue(available, () -> name + " unavailable: " + cause);
    }

    /** The checksum implementation, required or skipped as {@link #require} does. */
    public static ChecksumOffloadProvider requireChecksum(String impl) {
        return require(Offloads.checksumProvider(impl));
    }

    /** Any stage's implementation, required or skipped as {@link #require} does. */
    public static <P extends OffloadProvider<?>> P require(P provider) {
        requireAvailable(provider.name(), provider.isAvailable(), provider.unavailabilityCause());
        return provider;
    }

    /** A tool the test runs ({@code cause} null when it is there), required or skipped as {@link #require} does. */
    public static void requireTool(String name, String cause) {
        requireAvailable(name, cause == null, cause);
    }

    public static HardwareModel open(String name, String block) {
        return require(name).open(block);
    }
}
