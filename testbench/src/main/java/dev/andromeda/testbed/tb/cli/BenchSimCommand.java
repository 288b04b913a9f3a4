package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.bridge.NativeModels;
import dev.andromeda.testbed.tb.bench.JmhLog;
import dev.andromeda.testbed.tb.bench.SimCycleBenchmark;
import dev.andromeda.testbed.tb.report.TextTable;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tb bench sim}: ns per simulated cycle, per backend, against a C++ loop. */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Nanoseconds per simulated clock cycle of each block driven from Java through emu, rtl-jni",
                "and rtl-ffm, beside the same loop in C++ over the same Verilated model (cxx-loop).",
                "JMH underneath (SimCycleBenchmark): one fork; warm-up and measurement as below.",
                ""})
public final class BenchSimCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Short warm-up and measurement (about 30 s in all).")
    boolean quick;

    @Option(names = "--backends", split = ",", paramLabel = "B[,B...]",
            description = "Backends to measure (default: emu,rtl-jni,rtl-ffm,cxx-loop).")
    List<String> backends;

    @Option(names = "--blocks", split = ",", paramLabel = "BLOCK[,BLOCK...]",
            description = "Blocks to measure (default: every block the RTL backends have).")
    List<String> blocks;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Before any work: a bad output path must not cost the whole run (issue 15).
        OutputPaths.checkFile(spec, json);
        // JMH would take an unknown name as a parameter value and fail inside its fork, with a stack
        // trace and exit status 0: refuse it here, before anything starts.
        refuseUnknown("--backends", backends, "backend");
        refuseUnknown("--blocks", blocks, "block");
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(SimCycleBenchmark.class.getName())
                .forks(1)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2));
        if (backends != null) {
            b.param("backend", backends.toArray(new String[0]));
        }
        // By default every built model the benchmark knows how to keep busy (not the NIC: it
        // needs rings in memory to do anything).
        List<String> chosen = blocks != null ? blocks
                : NativeModels.get().blocks().stream().filter(known("block")::contains).toList();
        if (chosen.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "no RTL models to measure: " + NativeModels.get().unavailabilityCause());
        }
        b.param("block", chosen.toArray(new String[0]));
        // JMH prints hundreds of lines (every fork and iteration): they go to a log, a progress bar here.
        int runs = chosen.size() * (backends != null ? backends.size() : known("backend").size());
        Path log = Files.createTempFile("tb-bench-sim-", ".log");
        System.out.println("JMH's output: " + log);
        Collection<RunResult> results;
        try (JmhLog out = new JmhLog(log, runs)) {
            results = new Runner(b.build(), out).run();
        } catch (org.openjdk.jmh.runner.RunnerException e) {
            throw new IllegalStateException("JMH failed (its output: " + log + "): " + e.getMessage(), e);
        }
        if (results.size() < runs) {
            System.out.printf(Locale.ROOT, "%d of %d benchmarks failed; JMH's output says why: %s%n", runs - results.size(),
                    runs, log);
        }
        Map<String, double[]> ns = new LinkedHashMap<>();
        for (RunResult r : results) {
            String key = r.getParams().getParam("block") + " " + r.getParams().getParam("backend");
            ns.put(key, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        TextTable t = new TextTable("block", "backend", "ns/cycle", "+/- (99.9%)", "Mcycles/s", "x cxx-loop");
        for (Map.Entry<String, double[]> e : ns.entrySet()) {
            String[] k = e.getKey().split(" ");
            double[] cxx = ns.get(k[0] + " cxx-loop");
            double v = e.getValue()[0];
            t.row(k[0], k[1], f(v), f(e.getValue()[1]), f(1000.0 / v), cxx == null ? "-" : f(v / cxx[0]));
        }
        System.out.println();
        System.out.println("One cycle = set the block's input data port, step, get its output data port (block kept busy).");
        System.out.println(t.render());
        if (json != null) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("benchmark", "SimCycleBenchmark");
            ObjectNode per = root.putObject("nsPerCycle");
            ns.forEach((k, v) -> per.withObjectProperty(k.split(" ")[0]).put(k.split(" ")[1], v[0]));
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            m.writeValue(json.toFile(), root);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }

    /** The values the benchmark's {@code @Param} field declares: the names it knows. */
    static List<String> known(String param) {
        try {
            return List.of(SimCycleBenchmark.class.getField(param).getAnnotation(Param.class).value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("SimCycleBenchmark has no @Param " + param, e);
        }
    }

    private void refuseUnknown(String option, List<String> given, String param) {
        if (given == null) {
            return;
        }
        List<String> known = known(param);
        for (String g : given) {
            if (!known.contains(g)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        option + ": unknown " + param + " '" + g + "'; known: " + String.join(", ", known));
            }
        }
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
