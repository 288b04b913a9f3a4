package dev.andromeda.testbed.bridge.ffm;

import dev.andromeda.testbed.bridge.CoverageFiles;
import dev.andromeda.testbed.bridge.CoverageModel;
import dev.andromeda.testbed.bridge.ModelDescription;
import dev.andromeda.testbed.bridge.ResetPort;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortInfo;
import dev.andromeda.testbed.hw.Waveforms;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * A Verilated model through Panama FFM -- the {@code rtl-ffm} backend.
 *
 * <p>Ports are read and written directly as memory: the model's port fields
 * are mapped once into segments, so {@link #set}/{@link #get} are plain
 * loads and stores and only {@link #step} crosses into C++ (one critical
 * downcall). That keeps the Java-driven loop within a few percent of a pure
 * C++ loop over the same model.
 */
public final class FfmModel implements HardwareModel, CoverageModel {
    private final ModelAbi abi;
    private final ResetPort reset;
    private final MemorySegment handle;
    private final MemorySegment[] port;
    private final int[] bytes;
    private final long[] mask;
    private final Thread owner;
    private boolean closed;
    /** The waveform open now, as the caller named it (an FST is converted when it closes). */
    private Path waveFile;
    /** Where the coverage counters go on close; null: a new file under -Dtb.coverage.dir, if set. */
    private Path coverageFile;

    /**
     * Opens a model built by {@code tb rtl build} (or any build-model.sh output) by its
     * description, its library or its output folder (see {@link ModelDescription#read}). The
     * model is as created, its reset deasserted: call {@link #reset(int)} to reset it.
     */
    public static FfmModel open(Path model) {
        ModelDescription d = ModelDescription.read(model);
        return new FfmModel(ModelAbi.load(d), ResetPort.of(d));
    }

    public FfmModel(ModelAbi abi) {
        this(abi, ResetPort.BUILT_IN);
    }

    private FfmModel(ModelAbi abi, ResetPort reset) {
        this.abi = abi;
        this.reset = reset;
        this.owner = Thread.currentThread();
        try {
            handle = (MemorySegment) ModelAbi.CALL_CREATE.invokeExact(abi.create);
        } catch (Throwable t) {
            throw new IllegalStateException("creating " + abi.block + " failed", t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("creating " + abi.block + " failed: out of memory");
        }
        int n = abi.ports.size();
        port = new MemorySegment[n];
        bytes = new int[n];
        mask = new long[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = abi.portBytes[i];
            int width = abi.ports.get(i).width();
            mask[i] = width >= 64 ? -1L : (1L << width) - 1;
            try {
                port[i] = ((MemorySegment) ModelAbi.CALL_PORT_ADDRESS.invokeExact(abi.portAddress, handle, i)).reinterpret(bytes[i]);
            } catch (Throwable t) {
                throw new IllegalStateException("port_address failed", t);
            }
        }
    }

    @Override
    public String block() {
        return abi.block;
    }

    @Override
    public String resetPort() {
        return reset.port();
    }

    @Override
    public boolean resetActiveLow() {
        return reset.activeLow();
    }

    @Override
    public String backend() {
        return "rtl-ffm";
    }

    @Override
    public List<PortInfo> ports() {
        return abi.ports;
    }

    @Override
    public void set(int p, long value) {
        if (closed) {
            throw closedError();
        }
        long v = value & mask[p];
        MemorySegment s = port[p];
        switch (bytes[p]) {
            case 1 -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) v);
            case 2 -> s.set(ValueLayout.JAVA_SHORT, 0, (short) v);
            case 4 -> s.set(ValueLayout.JAVA_INT, 0, (int) v);
            case 8 -> s.set(ValueLayout.JAVA_LONG, 0, v);
            default -> setWide(p, new long[] {v});
        }
    }

    @Override
    public long get(int p) {
        if (closed) {
            throw closedError();
        }
        MemorySegment s = port[p];
        return switch (bytes[p]) {
            case 1 -> s.get(ValueLayout.JAVA_BYTE, 0) & 0xFFL;
            case 2 -> s.get(ValueLayout.JAVA_SHORT, 0) & 0xFFFFL;
            case 4 -> s.get(ValueLayout.JAVA_INT, 0) & 0xFFFFFFFFL;
            case 8 -> s.get(ValueLayout.JAVA_LONG, 0);
            default -> s.get(ValueLayout.JAVA_INT, 0) & 0xFFFFFFFFL
                    | (long) s.get(ValueLayout.JAVA_INT, 4) << 32;
        };
    }

    /** Wide ports are arrays of 32-bit words in Verilator, least significant first. */
    @Override
    public void setWide(int p, long[] words) {
        if (closed) {
            throw closedError();
        }
        if (bytes[p] <= 8) {
            set(p, words.length > 0 ? words[0] : 0);
            return;
        }
        MemorySegment s = port[p];
        int n = bytes[p] / 4;
        int width = abi.ports.get(p).width();
        for (int i = 0; i < n; i++) {
            long l = i / 2 < words.length ? words[i / 2] : 0;
            int w = (int) (i % 2 == 0 ? l : l >>> 32);
            int top = width - 32 * i;
            if (top < 32) {
                w &= (1 << top) - 1;
            }
            s.setAtIndex(ValueLayout.JAVA_INT, i, w);
        }
    }

    @Override
    public void getWide(int p, long[] words) {
        if (closed) {
            throw closedError();
        }
        java.util.Arrays.fill(words, 0);
        if (bytes[p] <= 8) {
            words[0] = get(p);
            return;
        }
        MemorySegment s = port[p];
        int n = bytes[p] / 4;
        for (int i = 0; i < n && i / 2 < words.length; i++) {
            words[i / 2] |= (s.getAtIndex(ValueLayout.JAVA_INT, i) & 0xFFFFFFFFL) << (32 * (i % 2));
        }
    }

    @Override
    public void step(long cycles) {
        if (closed) {
            throw closedError();
        }
        try {
            ModelAbi.CALL_STEP.invokeExact(abi.step, handle, cycles);
        } catch (Throwable t) {
            throw new IllegalStateException("step failed", t);
        }
    }

    @Override
    public void reset(int cycles) {
        if (closed) {
            throw closedError();
        }
        try {
            ModelAbi.CALL_RESET.invokeExact(abi.reset, handle, cycles);
        } catch (Throwable t) {
            throw new IllegalStateException("reset failed", t);
        }
    }

    @Override
    public long cycle() {
        if (closed) {
            throw closedError();
        }
        try {
            return (long) ModelAbi.CALL_CYCLE.invokeExact(abi.cycle, handle);
        } catch (Throwable t) {
            throw new IllegalStateException("cycle failed", t);
        }
    }

    @Override
    public void traceOn(Path vcd) {
        if (closed) {
            throw closedError();
        }
        traceOff();
        Path abs = Waveforms.vcdFor(vcd);
        int rc;
        try (Arena a = Arena.ofConfined()) {
            rc = (int) ModelAbi.CALL_TRACE_OPEN.invokeExact(abi.traceOpen, handle, a.allocateFrom(abs.toString()),
                    Waveforms.clockPeriodPs(block()));
        } catch (Throwable t) {
            throw new IllegalStateException("trace_open failed", t);
        }
        if (rc != 0) {
            throw new java.io.UncheckedIOException(new java.io.IOException("cannot open waveform " + abs));
        }
        waveFile = vcd;
    }

    @Override
    public void traceOff() {
        if (closed) {
            throw closedError();
        }
        try {
            ModelAbi.CALL_VOID_P.invokeExact(abi.traceClose, handle);
        } catch (Throwable t) {
            throw new IllegalStateException("trace_close failed", t);
        }
        if (waveFile != null) {
            Path f = waveFile;
            waveFile = null;
            Waveforms.finish(f);
        }
    }

    @Override
    public void settle() {
        if (closed) {
            throw closedError();
        }
        try {
            ModelAbi.CALL_EVAL.invokeExact(abi.eval, handle);
        } catch (Throwable t) {
            throw new IllegalStateException("eval failed", t);
        }
    }

    /**
     * The reference loop in C++: n cycles of "write the cycle count to
     * {@code in}, step, read {@code out}", for benchmarks.
     */
    public long benchLoop(int in, int out, long cycles) {
        if (closed) {
            throw closedError();
        }
        try {
            return (long) ModelAbi.CALL_BENCH_LOOP.invokeExact(abi.benchLoop, handle, in, out, cycles);
        } catch (Throwable t) {
            throw new IllegalStateException("bench_loop failed", t);
        }
    }

    @Override
    public boolean coverageBuilt() {
        return abi.coverage;
    }

    @Override
    public void coverageOnClose(Path datFile) {
        if (!abi.coverage) {
            throw new IllegalStateException(abi.block + " was built without coverage (build it with --coverage)");
        }
        coverageFile = CoverageFiles.prepare(datFile);
    }

    private int writeCoverage(String path) {
        try (Arena a = Arena.ofConfined()) {
            return (int) ModelAbi.CALL_COVERAGE_WRITE.invokeExact(abi.coverageWrite, handle, a.allocateFrom(path));
        } catch (Throwable t) {
            throw new IllegalStateException("coverage_write failed", t);
        }
    }

    /**
     * Why a call after {@link #close()} fails: the model's native memory (the
     * port storage the segments/handle point into) is freed, so touching it
     * would read or write freed memory or crash the JVM. A plain field check
     * per call, no lock: the model is confined to one thread.
     */
    private IllegalStateException closedError() {
        return new IllegalStateException(abi.block + " (rtl-ffm) is closed");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a model is confined to the thread that created it (" + owner + ")");
        }
        if (waveFile != null) {
            traceOff();
        }
        closed = true;
        try {
            // The counters live in the model: written before destroy frees them.
            CoverageFiles.writeOnClose(abi.coverage, coverageFile, abi.block, backend(), this::writeCoverage);
        } finally {
            destroy();
        }
    }

    private void destroy() {
        try {
            ModelAbi.CALL_VOID_P.invokeExact(abi.destroy, handle);
        } catch (Throwable t) {
            throw new IllegalStateException("destroy failed", t);
        }
    }
}
