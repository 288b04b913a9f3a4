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
 * (layout in jni-bridge/src/main/native/tb_model_abi.h), with a downcall
 * handle per entry point. Hot entry points ({@code step}, {@code port_address})
 * are linked with {@link Linker.Option#critical}: no thread-state transition,
 * about 2 ns a call here against 7 ns for JNI.
 */
public final class ModelAbi {
    static final int ABI_VERSION = 1;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;
    private static final Map<String, ModelAbi> LOADED = new ConcurrentHashMap<>();

    final String block;
    final List<PortInfo> ports;
    final int[] portBytes;
    final MethodHandle create;
    final MethodHandle destroy;
    final MethodHandle portAddress;
    final MethodHandle eval;
    final MethodHandle step;
    final MethodHandle reset;
    final MethodHandle cycle;
    final MethodHandle traceOpen;
    final MethodHandle traceClose;
    final MethodHandle benchLoop;

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
            abi = ((MemorySegment) getAbi.invokeExact()).reinterpret(24 + 10 * 8L);
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
        Linker.Option critical = Linker.Option.critical(false);
        long f = 24;
        create = linker.downcallHandle(abi.get(PTR, f), FunctionDescriptor.of(PTR));
        destroy = linker.downcallHandle(abi.get(PTR, f + 8), FunctionDescriptor.ofVoid(PTR));
        portAddress = linker.downcallHandle(abi.get(PTR, f + 16), FunctionDescriptor.of(PTR, PTR, I32), critical);
        eval = linker.downcallHandle(abi.get(PTR, f + 24), FunctionDescriptor.ofVoid(PTR), critical);
        step = linker.downcallHandle(abi.get(PTR, f + 32), FunctionDescriptor.ofVoid(PTR, ValueLayout.JAVA_LONG),
                critical);
        reset = linker.downcallHandle(abi.get(PTR, f + 40), FunctionDescriptor.ofVoid(PTR, I32));
        cycle = linker.downcallHandle(abi.get(PTR, f + 48), FunctionDescriptor.of(ValueLayout.JAVA_LONG, PTR),
                critical);
        traceOpen = linker.downcallHandle(abi.get(PTR, f + 56), FunctionDescriptor.of(I32, PTR, PTR));
        traceClose = linker.downcallHandle(abi.get(PTR, f + 64), FunctionDescriptor.ofVoid(PTR));
        benchLoop = linker.downcallHandle(abi.get(PTR, f + 72),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, PTR, I32, I32, ValueLayout.JAVA_LONG));
    }

    /** The table of a block's library, loaded once per JVM. */
    public static ModelAbi load(String block, Path library) {
        return LOADED.computeIfAbsent(block, b -> new ModelAbi(b, library));
    }
}
