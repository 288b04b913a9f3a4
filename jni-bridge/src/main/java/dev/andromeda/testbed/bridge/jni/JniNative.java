package dev.andromeda.testbed.bridge.jni;

/**
 * The natives of libtb_jni.so (jni-bridge/src/main/native/tb_jni.c), over the
 * model C ABI. {@code abi} is the model library's ABI table, {@code model} a
 * model handle. Hot calls return plain values and never throw.
 */
final class JniNative {
    private JniNative() {
    }

    static native String lastError();

    /** The ABI table of the model in the library, or 0 (see {@link #lastError()}). */
    static native long open(String libraryPath, String block);

    static native int portCount(long abi);

    static native String portName(long abi, int port);

    static native int portWidth(long abi, int port);

    static native int portDirection(long abi, int port);

    static native long create(long abi);

    static native void destroy(long abi, long model);

    static native void set(long abi, long model, int port, long value);

    static native long get(long abi, long model, int port);

    static native void setWide(long abi, long model, int port, long[] words);

    static native void getWide(long abi, long model, int port, long[] words);

    static native void eval(long abi, long model);

    static native void step(long abi, long model, long cycles);

    static native void reset(long abi, long model, int cycles);

    static native long cycle(long abi, long model);

    static native int traceOpen(long abi, long model, String path, long periodPs);

    static native void traceClose(long abi, long model);

    static native long benchLoop(long abi, long model, int in, int out, long cycles);

    /** The model's coverage counters to path: 0 written, -1 cannot, -2 not a coverage build; path null only asks. */
    static native int coverageWrite(long abi, long model, String path);
}
