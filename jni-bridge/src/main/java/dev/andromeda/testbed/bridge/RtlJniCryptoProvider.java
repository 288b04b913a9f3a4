package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.bridge.jni.JniBackend;
import dev.andromeda.testbed.hw.offload.HardwareCryptoProvider;

/** Registers the crypto stage on the Verilated RTL through JNI as {@code rtl-jni}. */
public final class RtlJniCryptoProvider extends HardwareCryptoProvider {
    public RtlJniCryptoProvider() {
        super(new JniBackend());
    }
}
