package dev.andromeda.testbed.hw.contract;

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
        if (!b.isAvailable()) {
            if (HardwareBackends.rtlRequired()) {
                fail(name + " is required here (CI=true or tb.rtl.required) but unavailable: " + b.unavailabilityCause());
            }
            assumeTrue(false, name + " unavailable: " + b.unavailabilityCause());
        }
        return b;
    }

    public static HardwareModel open(String name, String block) {
        return require(name).open(block);
    }
}
