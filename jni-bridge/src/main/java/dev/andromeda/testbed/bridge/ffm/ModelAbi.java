package dev.andromeda.testbed.bridge.ffm;

import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code tb_model_abi} table of one model library, read through FFM
 * (layout in jni-bridge/src/main/native/tb_model_abi.h): the port table and the
 * entry points' addresses, called through one static final downcall handle per
 * signature. Hot entry points ({@code step}, {@code port_address},
 * {@code cycle}) are linked with {@link Linker.Option#critical}: no thread-state
 * transition, about 2 ns a call here against 7 ns for JNI.
 */
public final class ModelAbi {
    static final int ABI_VERSION = 3;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;
    private static final Map<String, ModelAbi> LOADED = new ConcurrentHashMap<>();

    final String block;
    final List<PortInfo> ports;
    final int[] portBytes;
    // Entry points, as addresses. They are called through the static final handles below,
    // which take the target address as their first argument: a handle the JIT sees as a
    // constant inlines to a direct call, where a per-model handle in an instance field
    // costs an indirect MethodHandle dispatch on every step (measured: ~10 ns a cycle).
    final MemorySegment create;
    final MemorySegment destroy;
    final MemorySegment portAddress;
    final MemorySegment eval;
    final MemorySegment step;
    final MemorySegment reset;
    final MemorySegment cycle;
    final MemorySegment traceOpen;
    final MemorySegment traceClose;
    final MemorySegment benchLoop;
    final MemorySegment coverageWrite;
    /** A coverage build (build-model.sh --coverage): its counters can be written. */
    final boolean coverage;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);
    static final MethodHandle CALL_CREATE = LINKER.downcallHandle(FunctionDescriptor.of(ValueLayout.ADDRESS));
    static final MethodHandle CALL_VOID_P = LINKER.downcallHandle(FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    static final MethodHandle CALL_PORT_ADDRESS = LINKER.downcallHandle(
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), CRITICAL);
    static final MethodHandle CALL_STEP = LINKER.downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), CRITICAL);
    static final MethodHandle CALL_RESET = LINKER.downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    static final MethodHandle CALL_CYCLE = LINKER.downcallHandle(
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), CRITICAL);
    static final MethodHandle CALL_TRACE_OPEN = LINKER.downcallHandle(
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    static final MethodHandle CALL_EVAL = LINKER.downcallHandle(
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), CRITICAL);
    static final MethodHandle CALL_COVERAGE_WRITE = LINKER.downcallHandle(
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    static final MethodHandle CALL_BENCH_LOOP = LINKER.downcallHandle(FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));

    private ModelAbi(String block, Path library) {
        this.block = block;
        Linker linker = Linker.nativeLinker();
        // Model libraries stay loaded for the life of the JVM, as with System.load.
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        String symbol = "tb_model_abi_" + block;
        MemorySegment entry = lookup.find(symbol).orElseThrow(
                () -> new IllegalStateException(library + " has no symbol " + symbol));
        MethodHandle getAbi = linker.downcallHandle(entry, FunctionDescriptor.of(PTR));
        MemorySegment abi;
        try {
            abi = ((MemorySegment) getAbi.invokeExact()).reinterpret(24 + 11 * 8L);
        } catch (Throwable t) {
            throw new IllegalStateException("calling " + symbol + " failed", t);
        }
        int version = abi.get(I32, 0);
        if (version != ABI_VERSION) {
            throw new IllegalStateException(library + ": model ABI version " + version + ", this bridge speaks "
                    + ABI_VERSION + " (rebuild jni-bridge)");
        }
        int portCount = abi.get(I32, 4);
        MemorySegment table = abi.get(PTR, 16).reinterpret(16L * portCount);
        List<PortInfo> p = new ArrayList<>();
        portBytes = new int[portCount];
        for (int i = 0; i < portCount; i++) {
            long at = 16L * i;
            String name = table.get(PTR, at).reinterpret(256).getString(0);
            int width = table.get(I32, at + 8);
            short dir = table.get(ValueLayout.JAVA_SHORT, at + 12);
            portBytes[i] = table.get(ValueLayout.JAVA_SHORT, at + 14);
            p.add(new PortInfo(i, name, width, dir == 0 ? PortDirection.IN : PortDirection.OUT));
        }
        this.ports = List.copyOf(p);
        long f = 24;
        create = abi.get(PTR, f);
        destroy = abi.get(PTR, f + 8);
        portAddress = abi.get(PTR, f + 16);
        eval = abi.get(PTR, f + 24);
        step = abi.get(PTR, f + 32);
        reset = abi.get(PTR, f + 40);
        cycle = abi.get(PTR, f + 48);
        traceOpen = abi.get(PTR, f + 56);
        traceClose = abi.get(PTR, f + 64);
        benchLoop = abi.get(PTR, f + 72);
        coverageWrite = abi.get(PTR, f + 80);
        try {
            // A NULL path only asks whether the counters are compiled in (tb_model_abi.h).
            coverage = (int) CALL_COVERAGE_WRITE.invokeExact(coverageWrite, MemorySegment.NULL, MemorySegment.NULL) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("coverage_write failed", t);
        }
    }

    /** The table of a block's library, loaded once per JVM per library (plain and coverage variants differ). */
    public static ModelAbi load(String block, Path library) {
        return LOADED.computeIfAbsent(block + "|" + library.toAbsolutePath().normalize(), k -> new ModelAbi(block, library));
    }

    /**
     * The table of a library built by {@code tb rtl build}, loaded once per JVM per file: keyed
     * by the file's identity (device and inode) and time, as a rebuild into the same folder
     * replaces the file by rename and must load as a new library, not return the old table.
     */
    public static ModelAbi load(dev.andromeda.testbed.bridge.ModelDescription model) {
        return LOADED.computeIfAbsent(fileKey(model.library()), k -> new ModelAbi(model.top(), model.library()));
    }

    /** A key naming one file on disk: path, device/inode and modification time. */
    public static String fileKey(Path library) {
        try {
            var a = java.nio.file.Files.readAttributes(library, java.nio.file.attribute.BasicFileAttributes.class);
            return "file:" + library.toAbsolutePath().normalize() + "|" + a.fileKey() + "|" + a.lastModifiedTime().toMillis();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + library, e);
        }
    }
}
