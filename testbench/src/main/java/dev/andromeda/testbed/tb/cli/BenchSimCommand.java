package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.tb.bench.SimCycleBenchmark;
import dev.andromeda.testbed.tb.report.TextTable;
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
                "Nanoseconds per simulated clock cycle of csum_offload driven from Java through emu, rtl-jni",
                "and rtl-ffm, beside the same loop in C++ over the same Verilated model (cxx-loop).",
                "JMH underneath (SimCycleBenchmark): one fork; warm-up and measurement as below.",
                ""})
public final class BenchSimCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Short warm-up and measurement (about 30 s in all).")
    boolean quick;

    @Option(names = "--backends", split = ",", paramLabel = "B[,B...]",
            description = "Backends to measure (default: emu,rtl-jni,rtl-ffm,cxx-loop).")
    List<String> backends;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(SimCycleBenchmark.class.getName())
                .forks(1)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2));
        if (backends != null) {
            b.param("backend", backends.toArray(new String[0]));
        }
        Collection<RunResult> results = new Runner(b.build()).run();
        Map<String, double[]> ns = new LinkedHashMap<>();
        for (RunResult r : results) {
            String backend = r.getParams().getParam("backend");
            ns.put(backend, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        double cxx = ns.containsKey("cxx-loop") ? ns.get("cxx-loop")[0] : Double.NaN;
        TextTable t = new TextTable("backend", "ns/cycle", "+/- (99.9%)", "Mcycles/s", "x cxx-loop");
        for (Map.Entry<String, double[]> e : ns.entrySet()) {
            double v = e.getValue()[0];
            t.row(e.getKey(), f(v), f(e.getValue()[1]), f(1000.0 / v), Double.isNaN(cxx) ? "-" : f(v / cxx));
        }
        System.out.println();
        System.out.println("csum_offload, one cycle = set s_axis_tdata, step, get m_axis_tdata (block fully busy)");
        System.out.println(t.render());
        if (json != null) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("benchmark", "SimCycleBenchmark");
            root.put("block", "csum_offload");
            ObjectNode per = root.putObject("nsPerCycle");
            ns.forEach((k, v) -> per.put(k, v[0]));
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            m.writeValue(json.toFile(), root);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
