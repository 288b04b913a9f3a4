package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.bridge.jni.JniBackend;
import dev.andromeda.testbed.hw.offload.HardwareChecksumProvider;

/** Registers the checksum stage on the Verilated RTL through JNI as {@code rtl-jni}. */
public final class RtlJniChecksumProvider extends HardwareChecksumProvider {
    public RtlJniChecksumProvider() {
        super(new JniBackend());
    }
}
