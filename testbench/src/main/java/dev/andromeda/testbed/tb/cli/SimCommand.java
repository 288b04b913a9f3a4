package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.bridge.CoverageFiles;
import dev.andromeda.testbed.bridge.CoverageModel;
import dev.andromeda.testbed.bridge.ModelBuilder;
import dev.andromeda.testbed.bridge.ModelDescription;
import dev.andromeda.testbed.bridge.ffm.FfmModel;
import dev.andromeda.testbed.bridge.jni.JniModel;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.Waveforms;
import dev.andromeda.testbed.hw.driver.AxiStream;
import dev.andromeda.testbed.hw.driver.ProtocolViolation;
import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.jobs.Hex;
import dev.andromeda.testbed.tb.sim.FrameFile;
import dev.andromeda.testbed.tb.sim.StreamSim;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code tb sim}: frames through any AXI-stream top, for engineers who do not write Java. */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run frames through your own AXI-stream RTL and write the frames that leave it. The model is",
                "built first from the same options as 'tb rtl build' (or --manifest; cached, so a second run",
                "does not rebuild), or taken ready-built with --model.",
                "",
                "Streams are found by port prefix: a <prefix>_tdata with a <prefix>_tvalid (s_axis_tdata,",
                "in_tdata, ...); tready, tkeep, tlast, tuser, tid, tdest are used where the ports exist.",
                "Input, one JSON object a line (--in):",
                "  {\"id\":\"f1\",\"stream\":\"s_axis\",\"data\":\"<hex>\"}   optional \"user\", \"id_field\", \"dest\"",
                "(numbers or \"0x..\"; \"stream\" may be left out when the top has one input stream). Byte 0 is",
                "lane 0, tdata[7:0]. Output, every frame in the order it left (--out):",
                "  {\"stream\":\"m_axis\",\"data\":\"<hex>\",\"first_cycle\":N,\"last_cycle\":M}   (+ user, id_field, dest)",
                "A cycle c is the clock period ending at the rising edge c+1: in the waveform, from c x T to",
                "(c+1) x T, T the modelled clock period (4 ns). The run ends when every input frame was taken",
                "and no beat moved for --drain-cycles; the model's reset is held --reset-cycles first.",
                ""},
        footer = {"", "Exit status: 0 every frame in and the outputs drained; 1 usage error or a model that cannot",
                "be built or loaded; 3 timeout (--cycles-limit: the cycle and the stream that stalled);",
                "4 the design broke the AXI-stream rules (valid dropped, payload changed while stalled)."})
public final class SimCommand implements Callable<Integer> {
    @CommandLine.Mixin
    RtlSourceOptions source = new RtlSourceOptions();

    @Option(names = "--model", paramLabel = "PATH",
            description = "A model built before by tb rtl build (its folder, .so or .model.properties), instead of sources.")
    Path model;

    @Option(names = "--impl", required = true, paramLabel = "IMPL", description = "rtl-jni or rtl-ffm.")
    String impl;

    @Option(names = "--in", required = true, paramLabel = "FRAMES.jsonl", description = "The input frames.")
    Path in;

    @Option(names = "--out", paramLabel = "OUT.jsonl", description = "The output frames (default: stdout).")
    Path out;

    @Option(names = "--backpressure", defaultValue = "0", paramLabel = "P",
            description = "Chance per cycle of tready low on each output, 0 up to but not 1 (default ${DEFAULT-VALUE}).")
    double backpressure;

    @Option(names = "--idle", defaultValue = "0", paramLabel = "P",
            description = "Chance per cycle of no beat offered on each input, 0 up to but not 1 (default ${DEFAULT-VALUE}).")
    double idle;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the idle and back-pressure draws (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--wave", paramLabel = "F.vcd|F.fst", description = "Write a waveform of the whole run, reset included (.fst through GTKWave's vcd2fst).")
    Path wave;

    @Option(names = "--cycles-limit", defaultValue = "1000000", paramLabel = "N",
            description = "Give up after N cycles, naming the stream that stalled (default ${DEFAULT-VALUE}).")
    long cyclesLimit;

    @Option(names = "--drain-cycles", defaultValue = "1000", paramLabel = "N",
            description = "Quiet cycles after the last input that end the run (default ${DEFAULT-VALUE}).")
    long drainCycles;

    @Option(names = "--reset-cycles", defaultValue = "4", paramLabel = "N",
            description = "Cycles the reset is held at the start (default ${DEFAULT-VALUE}; none without a reset port).")
    int resetCycles;

    @Option(names = "--coverage", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
            description = "Build the coverage variant and write this run's coverage into DIR (default target/coverage"
                    + " in the clone); with --model, a model built with tb rtl build --coverage. Report: tb coverage.")
    String coverage;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        // Everything the user typed is checked before the build and the run.
        if (model != null && source.given()) {
            usage("give either --model or the sources (--top/--src or --manifest), not both");
        }
        if (model == null) {
            source.require(spec, ", or --model PATH");
        }
        if (!impl.equals("rtl-jni") && !impl.equals("rtl-ffm")) {
            usage("--impl must be rtl-jni or rtl-ffm (your RTL has no Java model for emu), not '" + impl + "'");
        }
        probability("--idle", idle);
        probability("--backpressure", backpressure);
        if (cyclesLimit < 1) {
            usage("--cycles-limit must be at least 1");
        }
        if (drainCycles < 0 || resetCycles < 0) {
            usage((drainCycles < 0 ? "--drain-cycles" : "--reset-cycles") + " must be at least 0");
        }
        if (Files.isDirectory(in)) {
            usage("--in " + in + ": is a directory");
        }
        if (out != null) {
            OutputPaths.checkFile(spec, out);
        }
        if (wave != null) {
            String name = wave.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (!name.endsWith(".vcd") && !name.endsWith(".fst")) {
                usage("--wave " + wave + ": name a .vcd or an .fst file");
            }
            OutputPaths.checkFile(spec, wave);
            try {
                Waveforms.vcdFor(wave);
            } catch (IllegalStateException e) {
                usage("--wave: " + e.getMessage());
            }
        }
        List<FrameFile.Entry> entries;
        try {
            entries = FrameFile.read(in, in.toString());
        } catch (NoSuchFileException e) {
            throw usageError("--in " + in + ": no such file");
        } catch (FrameFile.BadFrameFile e) {
            throw usageError(e.getMessage());
        }

        Path built = null;
        try {
            Path description = model;
            if (description == null) {
                built = Files.createTempDirectory("tb-sim-model");
                List<String> args = new java.util.ArrayList<>(source.buildArgs(built));
                if (coverage != null) {
                    args.add("--coverage");
                }
                int rc = ModelBuilder.run(args, line -> {
                    err.println(line);
                    err.flush();
                }, line -> {
                    // The script's refusals wrapped as every tb error is; Verilator's lines as they are.
                    if (line.startsWith("error: ")) {
                        Tb.printError(err, "tb sim: " + line.substring(7));
                    } else {
                        err.println(line);
                        err.flush();
                    }
                });
                if (rc != 0) {
                    return Tb.EXIT_USAGE;
                }
                description = built;
            }
            ModelDescription d;
            try {
                d = ModelDescription.read(description);
            } catch (IllegalArgumentException e) {
                throw usageError(e.getMessage());
            }
            try (HardwareModel m = open(d)) {
                if (coverage != null) {
                    if (!(m instanceof CoverageModel cm) || !cm.coverageBuilt()) {
                        throw usageError("--coverage: " + d.library() + " was built without coverage"
                                + " (tb rtl build --coverage)");
                    }
                    Path dir = coverage.isEmpty() ? CoverageCommand.defaultDir() : UserDir.resolve(coverage);
                    cm.coverageOnClose(CoverageFiles.newFile(dir, d.top(), impl, "seed" + seed));
                }
                String bad;
                try {
                    bad = StreamSim.check(m, entries);
                } catch (IllegalArgumentException e) {
                    bad = e.getMessage();
                }
                if (bad != null) {
                    throw usageError(in + ": " + bad);
                }
                int reset = d.reset().equals("none") ? 0 : resetCycles;
                StreamSim.Options o = new StreamSim.Options(seed, idle, backpressure, cyclesLimit, drainCycles, reset, wave);
                try (PrintWriter w = out == null ? new PrintWriter(System.out, false, StandardCharsets.UTF_8)
                        : new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
                    StreamSim.Result r;
                    try {
                        r = StreamSim.run(m, entries, o, (s, f) -> {
                            ObjectNode n = json.createObjectNode();
                            n.put("stream", s.prefix());
                            n.put("data", Hex.encode(f.data()));
                            n.put("first_cycle", f.firstCycle());
                            n.put("last_cycle", f.lastCycle());
                            if (s.userField() >= 0) {
                                n.put("user", f.user());
                            }
                            if (s.idField() >= 0) {
                                n.put("id_field", f.id());
                            }
                            if (s.destField() >= 0) {
                                n.put("dest", f.dest());
                            }
                            w.println(n);
                        });
                    } catch (ProtocolViolation v) {
                        w.flush();
                        err.println("tb sim: " + d.top() + " broke the AXI-stream rules: " + v.getMessage());
                        return Tb.EXIT_MISMATCH;
                    }
                    w.flush();
                    if (w.checkError()) {
                        throw new UncheckedIOException(new IOException("cannot write " + (out == null ? "stdout" : out)));
                    }
                    err.printf("tb sim: %s on %s: %d frame(s) in (%s), %d out (%s), %d cycles%s%n", d.top(), impl,
                            r.framesIn(), names(r.inputs()), r.framesOut(), names(r.outputs()), r.cycles(),
                            wave == null ? "" : "; waveform " + wave);
                    if (r.timeout() != null) {
                        err.println("tb sim: timeout: " + r.timeout());
                        return Tb.EXIT_REJECTED;
                    }
                    return 0;
                }
            }
        } finally {
            if (built != null) {
                try (Stream<Path> s = Files.walk(built)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private HardwareModel open(ModelDescription d) {
        try {
            return impl.equals("rtl-jni") ? JniModel.open(d.library()) : FfmModel.open(d.library());
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw usageError("cannot load " + d.library() + " on " + impl + ": " + e.getMessage());
        }
    }

    private static String names(List<AxiStream> streams) {
        return streams.isEmpty() ? "none" : String.join(", ", streams.stream().map(AxiStream::prefix).toList());
    }

    private void probability(String option, double p) {
        if (!(p >= 0 && p < 1)) {
            usage(option + " must be at least 0 and below 1 (a chance per cycle), was " + p);
        }
    }

    private void usage(String message) {
        throw usageError(message);
    }

    private CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
