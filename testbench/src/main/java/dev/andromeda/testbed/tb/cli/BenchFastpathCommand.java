package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import dev.andromeda.testbed.tb.bench.FastpathBenchmark;
import dev.andromeda.testbed.tb.bench.FastpathGoals;
import dev.andromeda.testbed.tb.bench.SwStageBenchmark;
import dev.andromeda.testbed.tb.report.TerminalWidth;
import dev.andromeda.testbed.tb.report.TextTable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code tb bench fastpath}: the host fast path per packet on the honest benchmark
 * ({@link FastpathBenchmark}), JMH with the GC profiler, and the host's own stage timers
 * for what each stage costs.
 */
@Command(name = "fastpath", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "The host fast path on one core, one Host.doWork() turn a measured operation (FastpathBenchmark,",
                "JMH, GC profiler). 65,536 frames written at set-up, their flows drawn over the whole flow table",
                "(uniform or Zipf 1.0, seed 11); each batch takes the next ones, so big tables miss the caches:",
                "  egress     a guest's 64-byte UDP frames: vNIC copy-in, parse, anti-spoofing, flow-table hit,",
                "             firewall port ranges, software checksum, GENEVE, transmit into a memory link; batch 32",
                "  ingress    64-byte inner frames in GENEVE off the link: copy in, parse, decap, VM lookup,",
                "             checksum check, copy into VM memory; batch 128",
                "  psp1500    egress at 1,500 bytes on a PSP network (sw AES-GCM inline)",
                "egress over 1K, 10K, 100K and 1M flows, uniform and Zipf; the others at 1M flows, Zipf.",
                "Beside each total: ns per packet of each stage, from the host's stage timers.",
                "Then the sw AES-GCM seal alone at 1,500 B (the floor under psp1500), and issue 11's goals",
                "judged on this run: met or not, and why not (the costliest stages).",
                ""})
public final class BenchFastpathCommand implements Callable<Integer> {
    static final String[] FULL_SWEEP = {"1000", "10000", "100000", "1000000"};
    static final String[] QUICK_SWEEP = {"1000", "1000000"};
    static final String MAIN_FLOWS = "1000000";

    @Option(names = "--quick", description = "Short iterations, egress at 1K and 1M flows, Zipf, only: for tests"
            + " (about 30 s); shows the benchmark runs and allocates nothing, its ns are not warmed up.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One JMH result with the host's stage timers of the same run. */
    record Measured(String benchmark, int flows, String destinations, double nsPerPacket, double error,
                    double bytesAllocatedPerPacket, Map<String, Double> stageNsPerPacket) {
        double stageSum() {
            return stageNsPerPacket.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    @Override
    public Integer call() throws Exception {
        // Before any work: a bad output path must not cost the whole run (issue 15).
        OutputPaths.checkFile(spec, json);
        Path stages = Files.createTempFile("tb-bench-stages", ".jsonl");
        List<Measured> all = new ArrayList<>();
        try {
            String cls = FastpathBenchmark.class.getName();
            all.addAll(run(cls + "\\.egress$", quick ? QUICK_SWEEP : FULL_SWEEP,
                    quick ? new String[] {"zipf"} : new String[] {"uniform", "zipf"}, stages));
            all.addAll(run(cls + "\\.(ingress|egressPsp1500)$", new String[] {MAIN_FLOWS}, new String[] {"zipf"},
                    stages));
        } finally {
            Files.deleteIfExists(stages);
        }
        String engine = SoftwareGcm.chosenEngine();
        double sealAlone = sealAlone(engine);
        Measured egress = find(all, "egress", Integer.parseInt(MAIN_FLOWS), "zipf");
        Measured ingress = find(all, "ingress", Integer.parseInt(MAIN_FLOWS), "zipf");
        Measured psp = find(all, "egressPsp1500", Integer.parseInt(MAIN_FLOWS), "zipf");
        System.out.println();
        System.out.println(table(all).render());
        System.out.println("Stages (ns per packet, the host's stage timers; the total also holds the turn's own"
                + " work and the timers' clock reads):");
        for (Measured m : all) {
            StringBuilder line = new StringBuilder("  " + label(m) + ":");
            m.stageNsPerPacket().forEach((k, v) -> line.append(' ').append(k).append(' ').append(f(v)));
            System.out.println(line);
        }
        Measured small = findOrNull(all, "egress", 1000, "zipf");
        List<FastpathGoals.Goal> goals = FastpathGoals.judge(path(egress), small == null ? null : path(small),
                path(ingress), path(psp), sealAlone, engine, Math.max(egress.bytesAllocatedPerPacket(),
                        Math.max(ingress.bytesAllocatedPerPacket(), psp.bytesAllocatedPerPacket())));
        System.out.println(String.format(Locale.ROOT, "AES-GCM-128 seal alone, 1,500 B, %s engine: %s ns a packet"
                + " (%.2f GB/s)", engine, f(sealAlone), FastpathGoals.PSP_BYTES / sealAlone));
        System.out.println("Goals (issue 11), judged on this run" + (quick
                ? " (--quick: not warmed up, so only a full run's verdicts count):" : ":"));
        int width = TerminalWidth.get();
        for (FastpathGoals.Goal g : goals) {
            String line = String.format(Locale.ROOT, "  %-28s %s %s %s  %s", g.what(),
                    g.id().equals("bytes-per-packet") ? "=" : g.unit().equals("GB/s") ? ">=" : "<=",
                    fmt(g.target()) + " " + g.unit() + ":", fmt(g.measured()), g.met() ? "met" : "NOT MET");
            System.out.println(line);
            if (!g.met()) {
                TerminalWidth.wrap("why: " + g.why(), width - 4, 5).forEach(l -> System.out.println("    " + l));
            }
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("nsPerPacket", egress.nsPerPacket());
            root.put("bytesAllocatedPerPacket", egress.bytesAllocatedPerPacket());
            root.put("flows", egress.flows());
            root.put("destinations", egress.destinations());
            root.put("seed", FastpathBenchmark.SEED);
            root.put("frames", FastpathBenchmark.FRAMES);
            root.put("ingressNsPerPacket", ingress.nsPerPacket());
            root.put("ingressBytesAllocatedPerPacket", ingress.bytesAllocatedPerPacket());
            root.put("psp1500NsPerPacket", psp.nsPerPacket());
            root.put("psp1500GBps", 1500 / psp.nsPerPacket());
            root.put("psp1500BytesAllocatedPerPacket", psp.bytesAllocatedPerPacket());
            ObjectNode sweep = root.putObject("tableSizeSweepNsPerPacket");
            for (Measured m : all) {
                if (m.benchmark().equals("egress")) {
                    ObjectNode d = sweep.has(m.destinations()) ? (ObjectNode) sweep.get(m.destinations())
                            : sweep.putObject(m.destinations());
                    d.put(Integer.toString(m.flows()), m.nsPerPacket());
                }
            }
            root.put("sealAloneNsPerPacket1500", sealAlone);
            root.put("sealEngine", engine);
            ArrayNode goalsNode = root.putArray("goals");
            for (FastpathGoals.Goal g : goals) {
                ObjectNode n = goalsNode.addObject();
                n.put("id", g.id());
                n.put("what", g.what());
                n.put("target", g.target());
                n.put("measured", g.measured());
                n.put("unit", g.unit());
                n.put("met", g.met());
                n.put("why", g.why());
            }
            ArrayNode runs = root.putArray("runs");
            for (Measured m : all) {
                ObjectNode r = runs.addObject();
                r.put("benchmark", m.benchmark());
                r.put("flows", m.flows());
                r.put("destinations", m.destinations());
                r.put("nsPerPacket", m.nsPerPacket());
                r.put("nsPerPacketError", m.error());
                r.put("bytesAllocatedPerPacket", m.bytesAllocatedPerPacket());
                ObjectNode st = r.putObject("stageNsPerPacket");
                m.stageNsPerPacket().forEach(st::put);
            }
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            mapper.writeValue(json.toFile(), root);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }

    private static TextTable table(List<Measured> all) {
        TextTable t = new TextTable("path", "flows", "destinations", "ns/packet", "± (99.9 %)", "stages sum",
                "bytes allocated/packet");
        for (Measured m : all) {
            t.row(name(m.benchmark()), String.format(Locale.ROOT, "%,d", m.flows()), m.destinations(),
                    f(m.nsPerPacket()), f(m.error()), f(m.stageSum()), f(m.bytesAllocatedPerPacket()));
        }
        return t;
    }

    private static String name(String benchmark) {
        return switch (benchmark) {
            case "egress" -> "egress 64 B";
            case "ingress" -> "ingress 64 B";
            default -> "egress PSP 1,500 B";
        };
    }

    private static String label(Measured m) {
        return name(m.benchmark()) + ", " + String.format(Locale.ROOT, "%,d", m.flows()) + " flows, "
                + m.destinations();
    }

    private static FastpathGoals.Path path(Measured m) {
        return new FastpathGoals.Path(m.nsPerPacket(), m.stageNsPerPacket());
    }

    private static String fmt(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static Measured findOrNull(List<Measured> all, String benchmark, int flows, String destinations) {
        for (Measured m : all) {
            if (m.benchmark().equals(benchmark) && m.flows() == flows && m.destinations().equals(destinations)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The engine's AES-GCM-128 seal alone at 1,500 B, batches of 32 in memory the caches hold
     * ({@link SwStageBenchmark}): the most the psp1500 path could reach if every other stage
     * were free.
     */
    private double sealAlone(String engine) throws Exception {
        Collection<RunResult> r = new Runner(new OptionsBuilder()
                .include(SwStageBenchmark.class.getName() + "\\.seal$")
                .param("engine", engine)
                .param("size", Integer.toString(FastpathGoals.PSP_BYTES))
                .forks(1)
                .shouldFailOnError(true)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .warmupIterations(quick ? 1 : 2).warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .measurementIterations(quick ? 2 : 3).measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .build()).run();
        return r.isEmpty() ? Double.NaN : r.iterator().next().getPrimaryResult().getScore();
    }

    private static Measured find(List<Measured> all, String benchmark, int flows, String destinations) {
        Measured m = findOrNull(all, benchmark, flows, destinations);
        if (m != null) {
            return m;
        }
        throw new IllegalStateException("no result for " + benchmark + " at " + flows + " flows, " + destinations
                + " (did the benchmark fail? see its output above)");
    }

    private List<Measured> run(String include, String[] flows, String[] destinations, Path stagesFile)
            throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(include)
                .param("flows", flows)
                .param("destinations", destinations)
                .forks(1)
                .shouldFailOnError(true)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                        "-D" + FastpathBenchmark.STAGES_FILE + "=" + stagesFile.toAbsolutePath())
                .addProfiler(GCProfiler.class)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .build()).run();
        Map<String, Map<String, Double>> stages = readStages(stagesFile);
        List<Measured> out = new ArrayList<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String benchmark = label.substring(label.lastIndexOf('.') + 1);
            int n = Integer.parseInt(r.getParams().getParam("flows"));
            String d = r.getParams().getParam("destinations").toLowerCase(Locale.ROOT);
            Map<String, Double> st = stages.getOrDefault(key(benchmark, n, d), Map.of());
            out.add(new Measured(benchmark, n, d, r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(), allocated(r), st));
        }
        return out;
    }

    private static String key(String benchmark, int flows, String destinations) {
        return benchmark + "/" + flows + "/" + destinations;
    }

    /** The stage timers each forked run wrote (one JSON line a run, see FastpathBenchmark). */
    private static Map<String, Map<String, Double>> readStages(Path file) throws IOException {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = m.readTree(line);
            Map<String, Double> st = new LinkedHashMap<>();
            n.get("stageNsPerPacket").fields().forEachRemaining(e -> st.put(e.getKey(), e.getValue().asDouble()));
            out.put(key(n.get("benchmark").asText(), n.get("flows").asInt(), n.get("destinations").asText()), st);
        }
        return out;
    }

    /** Bytes allocated per packet: JMH's gc.alloc.rate.norm is per operation, and an operation is a packet. */
    private static double allocated(RunResult r) {
        Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
        return norm == null ? Double.NaN : norm.getScore();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
