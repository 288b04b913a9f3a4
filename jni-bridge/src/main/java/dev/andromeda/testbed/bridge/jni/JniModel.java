package dev.andromeda.testbed.bridge.jni;

import dev.andromeda.testbed.bridge.CoverageFiles;
import dev.andromeda.testbed.bridge.CoverageModel;
import dev.andromeda.testbed.bridge.ModelDescription;
import dev.andromeda.testbed.bridge.ResetPort;
import dev.andromeda.testbed.bridge.ffm.ModelAbi;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;
import dev.andromeda.testbed.hw.Waveforms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Verilated model through JNI -- the {@code rtl-jni} backend. Every port
 * access and every step is one JNI call, as in the classic Verilator-to-Java
 * bridges; compare its cost with {@code rtl-ffm} in {@code tb bench sim}.
 */
public final class JniModel implements HardwareModel, CoverageModel {
    private final String block;
    private final ResetPort reset;
    private final long abi;
    private final long model;
    private final List<PortInfo> ports;
    private final Thread owner;
    private boolean closed;
    /** The waveform open now, as the caller named it (an FST is converted when it closes). */
    private Path waveFile;
    /** A coverage build (build-model.sh --coverage). */
    private final boolean coverage;
    /** Where the coverage counters go on close; null: a new file under -Dtb.coverage.dir, if set. */
    private Path coverageFile;

    private static final java.util.Map<String, Long> OPENED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Opens a model built by {@code tb rtl build} (or any build-model.sh output) by its
     * description, its library or its output folder (see {@link ModelDescription#read}), through
     * the JNI shim built with jni-bridge. The model is as created, its reset deasserted: call
     * {@link #reset(int)} to reset it.
     */
    public static JniModel open(Path model) {
        ModelDescription d = ModelDescription.read(model);
        JniBackend.loadShim();
        long abi = OPENED.computeIfAbsent(ModelAbi.fileKey(d.library()), k -> {
            long a = JniNative.open(d.library().toString(), d.top());
            if (a == 0) {
                throw new IllegalStateException("cannot open " + d.library() + " through JNI: " + JniNative.lastError());
            }
            return a;
        });
        return new JniModel(d.top(), abi, ResetPort.of(d));
    }

    JniModel(String block, long abi) {
        this(block, abi, ResetPort.BUILT_IN);
    }

    private JniModel(String block, long abi, ResetPort reset) {
        this.block = block;
        this.reset = reset;
        this.abi = abi;
        this.owner = Thread.currentThread();
        int n = JniNative.portCount(abi);
        List<PortInfo> p = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            p.add(new PortInfo(i, JniNative.portName(abi, i), JniNative.portWidth(abi, i),
                    JniNative.portDirection(abi, i) == 0 ? PortDirection.IN : PortDirection.OUT));
        }
        this.ports = List.copyOf(p);
        // A null path only asks whether the counters are compiled in (tb_model_abi.h).
        this.coverage = JniNative.coverageWrite(abi, 0, null) == 0;
        this.model = JniNative.create(abi);
        if (model == 0) {
            throw new IllegalStateException("creating " + block + " failed: out of memory");
        }
    }

    @Override
    public String block() {
        return block;
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
        return "rtl-jni";
    }

    @Override
    public List<PortInfo> ports() {
        return ports;
    }

    @Override
    public void set(int port, long value) {
        if (closed) {
            throw closedError();
        }
        JniNative.set(abi, model, port, value);
    }

    @Override
    public long get(int port) {
        if (closed) {
            throw closedError();
        }
        return JniNative.get(abi, model, port);
    }

    @Override
    public void setWide(int port, long[] words) {
        if (closed) {
            throw closedError();
        }
        JniNative.setWide(abi, model, port, words);
    }

    @Override
    public void getWide(int port, long[] words) {
        if (closed) {
            throw closedError();
        }
        java.util.Arrays.fill(words, 0);
        JniNative.getWide(abi, model, port, words);
    }

    @Override
    public void step(long cycles) {
        if (closed) {
            throw closedError();
        }
        JniNative.step(abi, model, cycles);
    }

    @Override
    public void reset(int cycles) {
        if (closed) {
            throw closedError();
        }
        JniNative.reset(abi, model, cycles);
    }

    @Override
    public long cycle() {
        if (closed) {
            throw closedError();
        }
        return JniNative.cycle(abi, model);
    }

    @Override
    public void traceOn(Path vcd) {
        if (closed) {
            throw closedError();
        }
        traceOff();
        Path abs = Waveforms.vcdFor(vcd);
        if (JniNative.traceOpen(abi, model, abs.toString(), Waveforms.clockPeriodPs(block())) != 0) {
            throw new java.io.UncheckedIOException(new java.io.IOException(JniNative.lastError()));
        }
        waveFile = vcd;
    }

    @Override
    public void traceOff() {
        if (closed) {
            throw closedError();
        }
        JniNative.traceClose(abi, model);
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
        JniNative.eval(abi, model);
    }

    /** The C++ reference loop, as {@link dev.andromeda.testbed.bridge.ffm.FfmModel#benchLoop}. */
    public long benchLoop(int in, int out, long cycles) {
        if (closed) {
            throw closedError();
        }
        return JniNative.benchLoop(abi, model, in, out, cycles);
    }

    @Override
    public boolean coverageBuilt() {
        return coverage;
    }

    @Override
    public void coverageOnClose(Path datFile) {
        if (!coverage) {
            throw new IllegalStateException(block + " was built without coverage (build it with --coverage)");
        }
        coverageFile = CoverageFiles.prepare(datFile);
    }

    /**
     * Why a call after {@link #close()} fails: the model's native memory (the
     * port storage the segments/handle point into) is freed, so touching it
     * would read or write freed memory or crash the JVM. A plain field check
     * per call, no lock: the model is confined to one thread.
     */
    private IllegalStateException closedError() {
        return new IllegalStateException(block + " (rtl-jni) is closed");
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
            CoverageFiles.writeOnClose(coverage, coverageFile, block, backend(),
                    path -> JniNative.coverageWrite(abi, model, path));
        } finally {
            JniNative.destroy(abi, model);
        }
    }
}
