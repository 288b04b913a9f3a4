package dev.andromeda.testbed.bridge.jni;

import dev.andromeda.testbed.bridge.NativeModels;
import dev.andromeda.testbed.bridge.RtlBackend;
import dev.andromeda.testbed.hw.HardwareModel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code rtl-jni} backend: Verilated models through the JNI shim. */
public final class JniBackend extends RtlBackend {
    /** ABI tables by library file: the plain and the coverage variant of a block are two libraries. */
    private static final Map<String, Long> ABI = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "rtl-jni";
    }

    private static volatile boolean shimLoaded;

    /** Loads the JNI shim built with jni-bridge once, for a model opened by path; throws why not. */
    static synchronized void loadShim() {
        if (shimLoaded) {
            return;
        }
        NativeModels models = NativeModels.get();
        if (!models.isAvailable()) {
            throw new IllegalStateException("rtl-jni is unavailable: " + models.unavailabilityCause());
        }
        System.load(models.jniShim().toString());
        shimLoaded = true;
    }

    @Override
    protected String probeBackend(NativeModels models) {
        try {
            loadShim();
        } catch (UnsatisfiedLinkError e) {
            return "cannot load the JNI shim " + models.jniShim() + ": " + e.getMessage();
        }
        for (String block : models.blocks()) {
            long abi = JniNative.open(models.modelLibrary(block).toString(), block);
            if (abi == 0) {
                return "cannot open " + block + " through JNI: " + JniNative.lastError();
            }
            ABI.put(models.modelLibrary(block).toString(), abi);
        }
        return null;
    }

    @Override
    protected HardwareModel create(String block, NativeModels models) {
        return new JniModel(block, ABI.get(models.modelLibrary(block).toString()));
    }
}
