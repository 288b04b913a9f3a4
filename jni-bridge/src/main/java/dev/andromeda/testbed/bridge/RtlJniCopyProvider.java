package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.bridge.jni.JniBackend;
import dev.andromeda.testbed.hw.offload.HardwareCopyProvider;

/** Registers the copy stage on the Verilated RTL through JNI as {@code rtl-jni}. */
public final class RtlJniCopyProvider extends HardwareCopyProvider {
    public RtlJniCopyProvider() {
        super(new JniBackend());
    }
}
