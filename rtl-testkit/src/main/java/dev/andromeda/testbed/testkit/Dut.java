package dev.andromeda.testbed.testkit;

import dev.andromeda.testbed.bridge.CoverageFiles;
import dev.andromeda.testbed.bridge.CoverageModel;
import dev.andromeda.testbed.bridge.ModelDescription;
import dev.andromeda.testbed.bridge.ffm.FfmModel;
import dev.andromeda.testbed.bridge.jni.JniModel;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.driver.AxiLiteMaster;
import dev.andromeda.testbed.hw.driver.AxiMemory;
import dev.andromeda.testbed.hw.driver.AxiPortMap;
import dev.andromeda.testbed.hw.driver.AxiPorts;
import dev.andromeda.testbed.hw.driver.AxiProtocolChecker;
import dev.andromeda.testbed.hw.driver.AxiStream;
import dev.andromeda.testbed.hw.driver.AxiStreamSink;
import dev.andromeda.testbed.hw.driver.AxiStreamSource;
import dev.andromeda.testbed.hw.driver.BeatQueue;
import dev.andromeda.testbed.hw.driver.BeatSink;
import dev.andromeda.testbed.hw.driver.BusAgent;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.hw.driver.StreamProtocolChecker;
import dev.andromeda.testbed.hw.driver.ValidReadySink;
import dev.andromeda.testbed.hw.driver.ValidReadySource;
import dev.andromeda.testbed.hw.driver.Testbench;
import dev.andromeda.testbed.hw.lockstep.LockstepModel;
import dev.andromeda.testbed.testkit.coverage.CoverGroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A design under test for a JUnit test: a model (your RTL by manifest under {@code rtl-jni} or
 * {@code rtl-ffm}, or any {@link HardwareModel} such as a Java model under {@code emu}), its
 * cycle loop, and the agents bound to it by port prefix. Every source, sink and monitor gets an
 * AXI-stream protocol checker on its interface; every random choice (idle cycles,
 * back-pressure) comes from the one seed, which every failure message names.
 *
 * <pre>{@code
 * try (Dut dut = Dut.load(Path.of("model.yaml"), "rtl-ffm", seed).wavesOnFailure(Path.of("target/waves"))) {
 *     var in = dut.source("s_axis", 0.2);             // 20 % idle cycles
 *     var sb = dut.scoreboard("m_axis", Scoreboard::sameFrame);
 *     dut.sink("m_axis", 0.3, sb::actual);            // 30 % back-pressure
 *     dut.reset(4);
 *     in.send(AxiFrame.of(bytes));  sb.expect(oracle(bytes));
 *     dut.runUntil(sb::drained, 10_000);
 * }
 * }</pre>
 */
public final class Dut implements AutoCloseable {
    private final HardwareModel model;
    private final Testbench tb;
    private final long seed;
    private final SplittableRandom seeds;
    private final Set<String> checked = new HashSet<>();
    private Path recording;
    private boolean tracing;
    private String failure;
    private Path coverageDir;
    private final List<CoverGroup> groups = new ArrayList<>();

    private Dut(HardwareModel model, long seed) {
        this.model = model;
        this.seed = seed;
        this.seeds = new SplittableRandom(seed);
        // Settle each cycle: a user's design may route an input to an output combinationally.
        this.tb = new Testbench(model).settling(true);
    }

    /**
     * Builds (cached) and opens the model a manifest describes.
     *
     * <p>With {@code -Dtb.coverage.dir=DIR} every model is built as its coverage variant and
     * the Dut writes its coverage into DIR ({@link #coverage}), so a whole suite run collects
     * coverage without a change to its tests.
     *
     * @param impl {@code rtl-jni} or {@code rtl-ffm}
     * @param extraBuildOptions more build options, e.g. {@code "-G", "DATA_BYTES=8"}, or
     *                          {@code "--coverage"} for the coverage variant
     */
    public static Dut load(Path manifest, String impl, long seed, String... extraBuildOptions) {
        Path suiteCoverage = CoverageFiles.defaultDir();
        String[] options = extraBuildOptions;
        if (suiteCoverage != null && !List.of(options).contains("--coverage")) {
            options = java.util.Arrays.copyOf(options, options.length + 1);
            options[options.length - 1] = "--coverage";
        }
        ModelDescription d = RtlModels.build(manifest, options);
        Dut dut = of(open(d, impl), seed);
        return suiteCoverage != null ? dut.coverage(suiteCoverage) : dut;
    }

    /** Opens a built model (its folder, library or description) under {@code rtl-jni} or {@code rtl-ffm}. */
    public static HardwareModel open(ModelDescription d, String impl) {
        return switch (impl) {
            case "rtl-jni" -> JniModel.open(d.library());
            case "rtl-ffm" -> FfmModel.open(d.library());
            default -> throw new IllegalArgumentException("impl must be rtl-jni or rtl-ffm, not '" + impl
                    + "' (a Java model: Dut.of(new KitModel(module), seed))");
        };
    }

    /** Any model: a Java model under emu ({@code new KitModel(module)}), a model opened by path, a lockstep pair. */
    public static Dut of(HardwareModel model, long seed) {
        return new Dut(model, seed);
    }

    /**
     * Two models of the same top in lockstep: every output compared every cycle; on the first
     * difference both are rebuilt, replayed, and both waveforms written into {@code waveDir}.
     * Drive the returned Dut as usual: it reads the reference.
     */
    public static Dut lockstep(Supplier<HardwareModel> reference, Supplier<HardwareModel> device, Path waveDir,
                               long seed) {
        return new Dut(new LockstepModel(reference, device, waveDir, 50), seed);
    }

    public HardwareModel model() {
        return model;
    }

    public long seed() {
        return seed;
    }

    /** The current cycle (rising edges since the model was created). */
    public long now() {
        return tb.now();
    }

    /** Drives an AXI-stream input; {@code idle}: chance per cycle of offering nothing. */
    public AxiStreamSource source(String prefix, double idle) {
        AxiStream s = bind(prefix);
        AxiStreamSource src = new AxiStreamSource(model, s, seeds.nextLong(), idle);
        tb.add(src);
        check(s);
        return src;
    }

    /** Takes an AXI-stream output; {@code backpressure}: chance per cycle of tready low. */
    public AxiStreamSink sink(String prefix, double backpressure, Consumer<AxiFrame> frames) {
        AxiStream s = bind(prefix);
        AxiStreamSink sink = new AxiStreamSink(model, s, seeds.nextLong(), backpressure, frames);
        tb.add(sink);
        check(s);
        return sink;
    }

    /** Watches any AXI-stream, driving nothing: the frames that move on it. */
    public AxiStreamSink monitor(String prefix, Consumer<AxiFrame> frames) {
        AxiStream s = bind(prefix);
        AxiStreamSink m = AxiStreamSink.monitor(model, s, frames);
        tb.add(m);
        check(s);
        return m;
    }

    /**
     * Drives a plain valid/ready input channel (a command port, not AXI-stream), e.g.
     * {@code Channel.of(model, "s_cmd", "s_cmd_valid", "s_cmd_ready", "s_cmd_len", ...)}: the
     * beats added to the returned queue go in order, with seeded random idle cycles; the
     * channel gets a {@link StreamProtocolChecker}.
     */
    public BeatQueue beats(Channel channel, double idle) {
        BeatQueue queue = new BeatQueue();
        tb.add(new ValidReadySource(model, channel, queue, seeds.nextLong(), idle));
        tb.add(new StreamProtocolChecker(model, channel));
        return queue;
    }

    /**
     * Takes a plain valid/ready output channel (a result port), handing each beat's fields to
     * {@code beats}, with seeded random back-pressure and a {@link StreamProtocolChecker}.
     */
    public ValidReadySink take(Channel channel, double backpressure, BeatSink beats) {
        ValidReadySink sink = new ValidReadySink(model, channel, beats, seeds.nextLong(), backpressure);
        tb.add(sink);
        tb.add(new StreamProtocolChecker(model, channel));
        return sink;
    }

    /**
     * Reads and writes registers on an AXI4-Lite slave port ({@code <prefix>_awaddr} ...):
     * {@code write(addr, value)}, {@code read(addr)} run this Dut's cycles until the answer and
     * throw on SLVERR/DECERR; a slave that never answers fails after the master's timeout,
     * naming the channel and the cycle. The port gets an {@link AxiProtocolChecker}.
     *
     * @param idle         chance per cycle that an address or data beat, due, is held back
     * @param backpressure chance per cycle of {@code bready}/{@code rready} low
     */
    public AxiLiteMaster axiLiteMaster(String prefix, double idle, double backpressure) {
        AxiPorts ports = AxiPorts.bind(model, prefix);
        AxiLiteMaster master = new AxiLiteMaster(ports, seeds.nextLong(), idle, backpressure, () -> cycles(1));
        tb.add(master);
        checkAxi(ports);
        return master;
    }

    /**
     * Serves an AXI4 master port ({@code <prefix>_araddr} ...) from {@code memory} (a bus address
     * is an offset into it), with no injected errors: see {@link #memory(AxiPortMap, MemorySegment,
     * int, int, double, double, AxiMemory.Faults)}.
     */
    public AxiMemory memory(String prefix, MemorySegment memory, int latency, int maxReadsInFlight, double idle,
                            double backpressure) {
        return memory(AxiPortMap.standard(prefix), memory, latency, maxReadsInFlight, idle, backpressure,
                AxiMemory.Faults.none());
    }

    /**
     * Serves a memory master port, its ports named by a map (AXI4's names under a prefix, or any
     * others: {@link AxiPortMap#dmaCopy()}), from {@code memory}; the port gets an
     * {@link AxiProtocolChecker}.
     *
     * @param latency          cycles from a read burst taken to its first beat offered
     * @param maxReadsInFlight read bursts taken and not fully answered, at most
     * @param idle             chance per cycle that a due read beat or write response is held back
     * @param backpressure     chance per cycle of arready, awready, wready low
     * @param faults           ranges that answer SLVERR, the write-response latency, the out-of-range answer
     */
    public AxiMemory memory(AxiPortMap ports, MemorySegment memory, int latency, int maxReadsInFlight, double idle,
                            double backpressure, AxiMemory.Faults faults) {
        AxiPorts bound = AxiPorts.bind(model, ports);
        AxiMemory m = new AxiMemory(bound, memory, seeds.nextLong(), latency, maxReadsInFlight, idle, backpressure,
                faults);
        tb.add(m);
        checkAxi(bound);
        return m;
    }

    /** Adds an AXI4 / AXI4-Lite protocol checker on an interface, once per interface name. */
    private void checkAxi(AxiPorts ports) {
        if (checked.add("axi " + ports.name())) {
            tb.add(new AxiProtocolChecker(ports));
        }
    }

    /** A scoreboard whose failures keep this Dut's waveform ({@link #wavesOnFailure}). */
    public <T> Scoreboard<T> scoreboard(String name, BiPredicate<T, T> same) {
        return new Scoreboard<>(name, same, this::failed);
    }

    /** Any other agent (an AXI4 memory, a register master of your own), run every cycle after those added before. */
    public Dut add(BusAgent agent) {
        tb.add(agent);
        return this;
    }

    private AxiStream bind(String prefix) {
        return AxiStream.bind(model, prefix);
    }

    private void check(AxiStream s) {
        if (checked.add(s.prefix())) {
            tb.add(s.checker(model));
        }
    }

    /** Holds the model's reset (its manifest's port and polarity) for the cycles given. */
    public void reset(int cycles) {
        run(() -> {
            model.reset(cycles);
            // The model moved on without the loop: start it again where the model is.
            tb.resync();
        });
    }

    /** Runs cycles. */
    public void cycles(long n) {
        run(() -> {
            for (long i = 0; i < n; i++) {
                tb.cycle();
            }
        });
    }

    /**
     * Runs until {@code done}, at most {@code limit} cycles.
     *
     * @throws IllegalStateException naming the cycle and the seed after {@code limit} cycles
     */
    public long runUntil(BooleanSupplier done, long limit) {
        long start = tb.now();
        run(() -> tb.runUntil(done, limit));
        return tb.now() - start;
    }

    private void run(Runnable r) {
        try {
            r.run();
        } catch (AssertionError e) {
            failed(e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            failed(e.getMessage());
            throw new IllegalStateException(message(e), e);
        }
    }

    private String message(Throwable e) {
        return e.getMessage() + " (seed " + seed + (recording != null ? "; waveform " + recording : "") + ")";
    }

    /** Writes a waveform of what follows ({@code .vcd}, or {@code .fst} through vcd2fst) until {@link #waveOff()}. */
    public Dut wave(Path file) {
        model.traceOn(file);
        tracing = true;
        return this;
    }

    public Dut waveOff() {
        if (tracing) {
            model.traceOff();
            tracing = false;
        }
        return this;
    }

    /**
     * Records the run (from now) and keeps the waveform as
     * {@code dir/<top>-<backend>-seed<seed>.vcd} only when it fails (a protocol violation, a
     * cycle limit, a scoreboard difference through {@link #scoreboard}): the file then ends at
     * the cycle of the first failure. A run that passes leaves nothing.
     */
    public Dut wavesOnFailure(Path dir) {
        recording = dir.resolve(model.block() + "-" + model.backend().replace('|', '_') + "-seed" + seed + ".vcd");
        wave(recording);
        return this;
    }

    /**
     * Writes this run's coverage into {@code dir} when the Dut closes: Verilator's line, toggle
     * and {@code cover property} counters as {@code <top>-<backend>-seed<seed>-p<pid>-<n>.dat}
     * (the model must be its coverage variant: {@code Dut.load(manifest, impl, seed,
     * "--coverage")}), and every {@link #coverGroup} as a {@code .cover.json}. Each run adds
     * files, none is overwritten; {@code tb coverage --dir DIR} merges and reports them.
     *
     * @throws IllegalStateException when the model was built without coverage
     */
    public Dut coverage(Path dir) {
        if (!(model instanceof CoverageModel cm) || !cm.coverageBuilt()) {
            throw new IllegalStateException(model.block() + " on " + model.backend() + " has no coverage counters:"
                    + " load it with Dut.load(manifest, impl, seed, \"--coverage\")");
        }
        coverageDir = dir.toAbsolutePath();
        return this;
    }

    /**
     * A functional cover group of this run (the same name gives the same group), written
     * beside the Verilator coverage when the Dut closes, if {@link #coverage} was asked for;
     * otherwise it is only counted, for the test to read.
     */
    public CoverGroup coverGroup(String name) {
        for (CoverGroup g : groups) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        CoverGroup g = new CoverGroup(name);
        groups.add(g);
        return g;
    }

    /** Marks the run failed (the first failure stops the recording there). */
    public void failed(String why) {
        if (failure == null) {
            failure = why == null ? "failed" : why;
            waveOff();
        }
    }

    /** The first failure, or null. */
    public String failure() {
        return failure;
    }

    @Override
    public void close() {
        try {
            waveOff();
            if (recording != null && failure == null) {
                Files.deleteIfExists(recording);
            } else if (recording != null) {
                System.err.println(model.block() + " on " + model.backend() + " failed (seed " + seed + "): "
                        + failure + "; waveform " + recording);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                if (coverageDir != null) {
                    // Named now, at the end of the run: a run that never closes leaves no empty file.
                    ((CoverageModel) model).coverageOnClose(CoverageFiles.newFile(coverageDir, model.block(),
                            model.backend(), "seed" + seed));
                    for (CoverGroup g : groups) {
                        g.write(coverageDir);
                    }
                }
            } finally {
                model.close();
            }
        }
    }
}
