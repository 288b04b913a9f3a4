package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.hw.BlockClocks;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.compare.BreakEven;
import dev.andromeda.testbed.tb.compare.CompareChart;
import dev.andromeda.testbed.tb.compare.StageCost;
import dev.andromeda.testbed.tb.compare.StageCostMeter;
import dev.andromeda.testbed.tb.report.Progress;
import dev.andromeda.testbed.tb.report.TerminalWidth;
import dev.andromeda.testbed.tb.report.TextTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code tb compare}: what a stage costs on each implementation across packet
 * sizes, and from which size offloading it to hardware pays -- CPU saved
 * against latency added, by the model in {@link BreakEven}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "A stage's cost across implementations and packet sizes, and where offload starts to pay.",
                "",
                "Cost of one or more stages across implementations and packet sizes: seeded random jobs in",
                "batches of 32 through each implementation (after a JIT warm-up), every result checked",
                "(checksum against RFC 1071, copy against its source, crypto -- AES-GCM-128 seal -- against the",
                "JDK's AES/GCM/NoPadding). Per size and implementation: CPU ns per packet on the calling thread",
                "(for sw the work itself, for hardware the host's share: descriptors and completions), hardware",
                "cycles and their time at the clock, and simulation wall time (the simulator's cost, kept apart).",
                "Then, per hardware implementation, the break-even size: offloading pays when",
                "  CPU saved (sw CPU - hw CPU) > latency weight x hw ns",
                "at that size and every larger measured size, interpolated between the measured sizes.",
                "A chart per stage (PNG, XChart) shows the CPU and hardware-latency curves.",
                ""},
        footer = {"", "Exit status: 0 every result correct, 4 a wrong result, 1 usage error (or, under CI=true,",
                "an implementation that cannot run)."})
public final class CompareCommand implements Callable<Integer> {
    /**
     * The largest size asked for: a 9,000-byte jumbo frame, the common jumbo
     * MTU. Every stage's descriptors take at least that (checksum 9,216 bytes,
     * crypto 16,384, copy 65,536), so one size list serves every stage.
     */
    public static final int MAX_SIZE = 9000;
    static final int DEFAULT_JOBS = 2000;
    static final int QUICK_JOBS = 300;
    /**
     * Warm-up batches per stage and implementation: here C2 compiles a software stage's loop after
     * some 4,000 to 8,000 batches (measured: a 64-byte sw copy at 57 ns until then, 7 ns after).
     */
    static final int DEFAULT_WARMUP_BATCHES = 8192;
    /** ... or this much wall time, whichever comes first: what bounds a simulated block's warm-up. */
    static final long DEFAULT_WARMUP_MILLIS = 3000;
    static final long QUICK_WARMUP_MILLIS = 1000;

    @Option(names = "--stage", split = ",", paramLabel = "STAGE[,STAGE...]",
            description = "Stages: checksum, copy, crypto; repeatable (default: all three).")
    List<String> stages;

    @Option(names = "--impls", split = ",", paramLabel = "IMPL[,IMPL...]",
            description = "Implementations (default: sw,emu,rtl-jni,rtl-ffm); sw is always run, as the baseline."
                    + " For the checksum and crypto stages also nic-emu, nic-rtl-jni, nic-rtl-ffm: the checksum"
                    + " or the PSP seal inline on the emulated NIC's TX path (rings, doorbell, completions).")
    List<String> impls;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES[,BYTES...]", defaultValue = "64,256,1500,9000",
            description = "Packet sizes, each 1.." + MAX_SIZE + " (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Measured jobs per implementation and size (default " + DEFAULT_JOBS + ", "
                    + QUICK_JOBS + " with --quick).")
    Integer jobs;

    @Option(names = "--quick", description = "A short run (" + QUICK_JOBS + " jobs per size unless --jobs says).")
    boolean quick;

    @Option(names = "--warmup", paramLabel = "BATCHES",
            description = "Untimed batches through each stage and implementation, at every size in turn, before"
                    + " its measurements, so the JIT has compiled what they run (default " + DEFAULT_WARMUP_BATCHES
                    + ", cut short after " + DEFAULT_WARMUP_MILLIS / 1000 + " s, " + QUICK_WARMUP_MILLIS / 1000
                    + " s with --quick).")
    Integer warmup;

    @Option(names = "--clock-mhz", paramLabel = "MHZ",
            description = "One clock for every block's cycles (default: each block's own, from its synthesis:"
                    + " BlockClocks, as tb demo models them).")
    Double clockMHz;

    @Option(names = "--latency-weight", defaultValue = "1.0", paramLabel = "W",
            description = "CPU ns one ns of added latency is worth in the break-even (default ${DEFAULT-VALUE};"
                    + " 0: only CPU counts).")
    double latencyWeight;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--chart", paramLabel = "FILE",
            description = "Where the PNG chart goes (default target/tb-compare/compare-<stage>.png); with several"
                    + " stages, -<stage> is put before the extension.")
    Path chart;

    @Option(names = "--seed", defaultValue = "2026", description = "Seed of the jobs' data (default ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // Before any work: a bad output path must not cost the whole run (issue 15).
        OutputPaths.checkFile(spec, json);
        int n = jobs != null ? jobs : quick ? QUICK_JOBS : DEFAULT_JOBS;
        if (n < 1) {
            throw usage("--jobs must be at least 1, was " + n);
        }
        int warmupBatches = warmup != null ? warmup : DEFAULT_WARMUP_BATCHES;
        if (warmupBatches < 0) {
            throw usage("--warmup must be at least 0, was " + warmupBatches);
        }
        long warmupMillis = quick ? QUICK_WARMUP_MILLIS : DEFAULT_WARMUP_MILLIS;
        if (clockMHz != null && (!(clockMHz > 0) || Double.isInfinite(clockMHz))) {
            throw usage("--clock-mhz must be a positive number of MHz, was " + clockMHz);
        }
        if (!(latencyWeight >= 0) || Double.isInfinite(latencyWeight)) {
            throw usage("--latency-weight must be a finite number at least 0, was " + latencyWeight);
        }
        List<Stage> chosenStages = chosenStages();
        List<Integer> chosenSizes = chosenSizes();
        List<String> chosenImpls = chosenImpls(chosenStages);

        say(String.format(Locale.ROOT, "tb compare: %s; %s; sizes %s B; hardware at %s",
                String.join(", ", chosenStages.stream().map(Stage::label).toList()), String.join(", ", chosenImpls),
                String.join(", ", chosenSizes.stream().map(z -> fmt(z, 0)).toList()),
                String.join(", ", chosenStages.stream().map(st -> String.format(Locale.ROOT, "%.0f MHz (%s)",
                        clock(st), st.block())).toList())), 2);
        say(String.format(Locale.ROOT, "%,d jobs per size in batches of %d (seed %d), after up to %,d warm-up batches"
                + " (%,d ms) per stage and implementation", n, StageCostMeter.BATCH, seed, warmupBatches, warmupMillis), 2);
        System.out.println();

        boolean required = HardwareBackends.rtlRequired();
        if (required) {
            requireAvailable(chosenStages, chosenImpls);
        }
        StageCostMeter meter = new StageCostMeter(this::clock, seed, warmupBatches, warmupMillis, required);
        Progress progress = new Progress();
        Map<Stage, List<StageCost>> results = new LinkedHashMap<>();
        for (Stage stage : chosenStages) {
            List<StageCost> costs = new ArrayList<>();
            for (String impl : chosenImpls) {
                costs.addAll(meter.measure(stage, impl, chosenSizes, n,
                        (phase, done, total) -> progress.update(stage.label() + " " + impl + " " + phase, done, total)));
            }
            progress.done();
            results.put(stage, costs);
        }

        boolean wrong = false;
        Map<Stage, Path> charts = new LinkedHashMap<>();
        Map<Stage, Map<String, BreakEven.Verdict>> verdicts = new LinkedHashMap<>();
        for (Map.Entry<Stage, List<StageCost>> e : results.entrySet()) {
            Stage stage = e.getKey();
            List<StageCost> costs = e.getValue();
            wrong |= costs.stream().anyMatch(c -> c.ran() && !c.correct());
            verdicts.put(stage, printStage(stage, costs, n));
            List<StageCost> sends = meter.sendsOnly().stream().filter(c -> c.stage() == stage).toList();
            if (!sends.isEmpty()) {
                printInline(stage, costs, sends);
            }
            charts.put(stage, CompareChart.write(stage, costs, clock(stage), verdicts.get(stage),
                    chartFile(stage, chosenStages.size())));
        }
        say("CPU ns: for sw the stage's work; for hardware the host's share (reading descriptors, writing"
                + " completions). Simulation wall time is the simulator's cost, never counted as CPU.", 0);
        System.out.println();
        charts.forEach((stage, file) -> System.out.println("chart (" + stage.label() + "): " + file));
        if (json != null) {
            writeJson(results, verdicts, charts, n, warmupBatches, warmupMillis, chosenSizes, chosenImpls);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        if (results.values().stream().flatMap(List::stream).anyMatch(c -> !c.ran())) {
            System.out.println();
            say("Some implementations could not run here (see above); './tb impls' says why,"
                    + " 'sudo apt-get install -y verilator g++ make' then './tb build' brings the RTL ones.", 0);
        }
        if (wrong) {
            say("MISMATCH: an implementation produced a wrong result (see the 'correct' column).", 0);
            return Tb.EXIT_MISMATCH;
        }
        return 0;
    }

    /** Prints a line wrapped at the terminal's width, continuation lines indented by {@code indent}. */
    private static void say(String text, int indent) {
        TerminalWidth.wrap(text, TerminalWidth.get(), indent).forEach(System.out::println);
    }

    /** The clock the stage's block is modelled at: --clock-mhz, or the block's own. */
    private double clock(Stage stage) {
        return clockMHz != null ? clockMHz : BlockClocks.mhz(stage.block());
    }

    /** Prints the stage's table and break-even lines; returns the verdict of each hardware implementation. */
    private Map<String, BreakEven.Verdict> printStage(Stage stage, List<StageCost> costs, int n) {
        System.out.printf(Locale.ROOT, "%s stage (%s in hardware), %,d jobs per size%n", stage.label(), stage.block(), n);
        Map<Integer, StageCost> sw = software(costs);
        // Short headers and a legend: the table fits 80 columns (it was ~107 with the names spelled out).
        say(String.format(Locale.ROOT, "Per packet: CPU ns; hw cycles; hw ns @%.0fMHz (modelled, %s); sim us (the"
                + " simulator's wall time); gain ns (offload gain, below); correct jobs of all.", clock(stage),
                clockMHz != null ? "--clock-mhz" : "the block's own clock"), 0);
        TextTable t = new TextTable("size B", "impl", "CPU ns", "hw cycles", "hw ns", "sim us", "gain ns", "correct");
        List<StageCost> ran = costs.stream().filter(StageCost::ran)
                .sorted(Comparator.comparingInt(StageCost::size)).toList();
        for (StageCost c : ran) {
            String correct = (c.jobs() - c.wrong()) + "/" + c.jobs();
            if (c.software()) {
                t.row(fmt(c.size(), 0), c.impl(), fmt(c.cpuNsPerJob(), 1), "-", "-", "-", "-", correct);
            } else {
                StageCost base = sw.get(c.size());
                String gain = base == null ? "-" : fmt(gain(base, c), 1);
                t.row(fmt(c.size(), 0), c.impl(), fmt(c.cpuNsPerJob(), 1), fmt(c.hwCyclesPerJob(), 1),
                        fmt(c.hwNsPerJob(), 1), fmt(c.simWallNsPerJob() / 1000.0, 2), gain, correct);
            }
        }
        System.out.print(t.render());
        for (StageCost c : costs) {
            if (!c.ran()) {
                say(c.impl() + ": unavailable here: " + c.unavailable(), 2);
            }
            if (c.ran() && !c.correct()) {
                say(c.impl() + " at " + c.size() + " B: " + c.wrong() + " wrong, first " + c.firstWrong(), 2);
            }
        }
        Map<String, BreakEven.Verdict> verdicts = new LinkedHashMap<>();
        List<StageCost> swCosts = costs.stream().filter(StageCost::software).toList();
        for (String impl : costs.stream().filter(c -> c.ran() && !c.software()).map(StageCost::impl).distinct().toList()) {
            List<StageCost> hw = costs.stream().filter(c -> c.impl().equals(impl)).toList();
            List<BreakEven.Point> points = BreakEven.points(swCosts, hw);
            if (points.isEmpty()) {
                continue;
            }
            BreakEven.Verdict v = BreakEven.find(points, latencyWeight);
            verdicts.put(impl, v);
            say(String.format(Locale.ROOT, "break-even %-8s %s", impl + ":", v.describe()), 2);
        }
        if (!verdicts.isEmpty()) {
            say(String.format(Locale.ROOT, "  (offload gain = sw CPU - hw CPU - %s x hw ns; offloading pays where it"
                    + " is positive)", fmt(latencyWeight, 2)), 3);
        }
        System.out.println();
        return verdicts;
    }

    /**
     * What the inline NIC buys: the frame crosses the NIC anyway (the host's port), so the
     * inline checksum or seal costs what it adds to that send -- measured as the same batches
     * sent with and without CSUM_INSERT or PSP -- against software's CPU and look-aside's host
     * share plus the block's latency (the frame waits for the block, then goes to the port).
     */
    private void printInline(Stage stage, List<StageCost> costs, List<StageCost> sends) {
        say(String.format(Locale.ROOT, "What the inline NIC buys (%s=nic), per packet: what each way adds to"
                + " sending the frame, which a NIC port sends anyway (hw ns @%.0fMHz; the NIC is modelled at its"
                + " %s's clock); gain as above.", stage.label(), clock(stage),
                stage == Stage.CRYPTO ? "aes_gcm" : "csum_offload"), 0);
        Map<Integer, StageCost> sw = software(costs);
        Map<String, StageCost> send = new LinkedHashMap<>();
        sends.forEach(c -> send.put(c.impl() + "@" + c.size(), c));
        TextTable t = new TextTable("size B", "way", "impl", "+CPU ns", "+hw ns", "gain ns");
        Map<String, List<BreakEven.Point>> inline = new LinkedHashMap<>();
        List<StageCost> ran = costs.stream().filter(StageCost::ran)
                .sorted(Comparator.comparingInt(StageCost::size)).toList();
        for (StageCost c : ran) {
            StageCost base = sw.get(c.size());
            if (c.software()) {
                t.row(fmt(c.size(), 0), "software", c.impl(), fmt(c.cpuNsPerJob(), 1), "0.0", "0.0");
                continue;
            }
            StageCost s = send.get(c.impl() + "@" + c.size());
            double cpu = s == null ? c.cpuNsPerJob() : c.cpuNsPerJob() - s.cpuNsPerJob();
            double ns = s == null ? c.hwNsPerJob() : c.hwNsPerJob() - s.hwNsPerJob();
            BreakEven.Point p = new BreakEven.Point(c.size(), base == null ? 0 : base.cpuNsPerJob(), cpu, ns);
            if (s != null) {
                inline.computeIfAbsent(c.impl(), k -> new ArrayList<>()).add(p);
            }
            t.row(fmt(c.size(), 0), s == null ? "look-aside" : "inline", c.impl(), fmt(cpu, 1), fmt(ns, 1),
                    base == null ? "-" : fmt(p.margin(latencyWeight), 1));
        }
        System.out.print(t.render());
        inline.forEach((impl, points) -> say(String.format(Locale.ROOT, "break-even inline %-8s %s", impl + ":",
                BreakEven.find(points, latencyWeight).describe()), 2));
        say("The send itself through the NIC (the port's cost, paid with or without the "
                + (stage == Stage.CRYPTO ? "seal" : "checksum") + "):", 0);
        TextTable u = new TextTable("size B", "impl", "CPU ns", "hw cycles", "hw ns", "sim us");
        sends.stream().sorted(Comparator.comparingInt(StageCost::size)).forEach(c -> u.row(fmt(c.size(), 0),
                c.impl(), fmt(c.cpuNsPerJob(), 1), fmt(c.hwCyclesPerJob(), 1), fmt(c.hwNsPerJob(), 1),
                fmt(c.simWallNsPerJob() / 1000.0, 2)));
        System.out.print(u.render());
        System.out.println();
    }

    private double gain(StageCost sw, StageCost hw) {
        return new BreakEven.Point(hw.size(), sw.cpuNsPerJob(), hw.cpuNsPerJob(), hw.hwNsPerJob())
                .margin(latencyWeight);
    }

    private static Map<Integer, StageCost> software(List<StageCost> costs) {
        Map<Integer, StageCost> sw = new LinkedHashMap<>();
        for (StageCost c : costs) {
            if (c.software() && c.ran()) {
                sw.put(c.size(), c);
            }
        }
        return sw;
    }

    private List<Stage> chosenStages() {
        if (stages == null || stages.isEmpty()) {
            return List.of(Stage.values());
        }
        LinkedHashSet<Stage> chosen = new LinkedHashSet<>();
        for (String name : stages) {
            Stage found = null;
            for (Stage s : Stage.values()) {
                if (s.label().equalsIgnoreCase(name.strip())) {
                    found = s;
                }
            }
            if (found == null) {
                throw usage("--stage: no stage '" + name + "'; stages: "
                        + String.join(", ", Arrays.stream(Stage.values()).map(Stage::label).toList()));
            }
            chosen.add(found);
        }
        return List.copyOf(chosen);
    }

    private List<Integer> chosenSizes() {
        TreeSet<Integer> chosen = new TreeSet<>();
        for (int size : sizes) {
            if (size < 1 || size > MAX_SIZE) {
                throw usage("--sizes: " + size + " is outside 1.." + MAX_SIZE + " bytes");
            }
            chosen.add(size);
        }
        return List.copyOf(chosen);
    }

    /** sw first (the baseline), then the rest in the order given; each must exist for every chosen stage. */
    private List<String> chosenImpls(List<Stage> chosenStages) {
        LinkedHashSet<String> chosen = new LinkedHashSet<>();
        chosen.add("sw");
        chosen.addAll(impls == null ? Offloads.IMPLEMENTATIONS : impls.stream().map(String::strip).toList());
        for (String impl : chosen) {
            for (Stage stage : chosenStages) {
                if (impl.startsWith("nic-")) {
                    String why = dev.andromeda.testbed.tb.compare.StageCostMeter.nicRefusal(stage, impl);
                    if (why != null) {
                        throw usage("--impls: " + why);
                    }
                    continue;
                }
                try {
                    Offloads.provider(stage.providerType(), impl);
                } catch (IllegalArgumentException e) {
                    throw usage("--impls: " + e.getMessage());
                }
            }
        }
        return List.copyOf(chosen);
    }

    /**
     * Under CI=true (or -Dtb.rtl.required) every implementation asked for must run: say which cannot
     * before measuring anything rather than after the rest.
     */
    private static void requireAvailable(List<Stage> chosenStages, List<String> chosenImpls) {
        List<String> missing = new ArrayList<>();
        for (Stage stage : chosenStages) {
            for (String impl : chosenImpls) {
                if (impl.startsWith("nic-")) {
                    String why = dev.andromeda.testbed.tb.compare.StageCostMeter.nicUnavailability(impl);
                    if (why != null) {
                        missing.add(stage.label() + " " + impl + " (" + why + ")");
                    }
                    continue;
                }
                var p = Offloads.provider(stage.providerType(), impl);
                if (!p.isAvailable()) {
                    missing.add(stage.label() + " " + impl + " (" + p.unavailabilityCause() + ")");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("every implementation is required to run (CI=true or"
                    + " -Dtb.rtl.required) and these cannot: " + String.join("; ", missing));
        }
    }

    /** The chart's file: as given (a stage suffix added when there are several stages), or the default. */
    private Path chartFile(Stage stage, int stageCount) {
        if (chart == null) {
            return Path.of("target", "tb-compare", "compare-" + stage.label() + ".png");
        }
        if (stageCount == 1) {
            return chart;
        }
        String name = chart.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String withStage = dot > 0 ? name.substring(0, dot) + "-" + stage.label() + name.substring(dot)
                : name + "-" + stage.label() + ".png";
        return chart.resolveSibling(withStage);
    }

    private void writeJson(Map<Stage, List<StageCost>> results, Map<Stage, Map<String, BreakEven.Verdict>> verdicts,
                           Map<Stage, Path> charts, int n, int warmupBatches, long warmupMillis,
                           List<Integer> chosenSizes, List<String> chosenImpls) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ArrayNode sizesNode = root.putArray("sizes");
        chosenSizes.forEach(sizesNode::add);
        ArrayNode implsNode = root.putArray("impls");
        chosenImpls.forEach(implsNode::add);
        root.put("jobsPerSize", n);
        root.put("batch", StageCostMeter.BATCH);
        root.put("warmupBatches", warmupBatches);
        root.put("warmupMillis", warmupMillis);
        root.put("seed", seed);
        if (clockMHz != null) {
            root.put("clockMHz", clockMHz); // one clock for all, as asked; each stage says its own below
        }
        root.put("latencyWeight", latencyWeight);
        root.put("model", "offloading size s pays when cpuSw(s) - cpuHw(s) > latencyWeight * hwNs(s)");
        ArrayNode stagesNode = root.putArray("stages");
        for (Map.Entry<Stage, List<StageCost>> e : results.entrySet()) {
            Stage stage = e.getKey();
            ObjectNode s = stagesNode.addObject();
            s.put("stage", stage.label());
            s.put("block", stage.block());
            s.put("clockMHz", clock(stage));
            s.put("chart", charts.get(stage).toString());
            Map<Integer, StageCost> sw = software(e.getValue());
            ArrayNode costs = s.putArray("costs");
            for (StageCost c : e.getValue()) {
                ObjectNode o = costs.addObject();
                o.put("impl", c.impl());
                if (!c.ran()) {
                    o.put("unavailable", c.unavailable());
                    continue;
                }
                o.put("size", c.size());
                o.put("warmupJobs", c.warmupJobs());
                o.put("jobs", c.jobs());
                o.put("cpuNsPerJob", c.cpuNsPerJob());
                o.put("hwCyclesPerJob", c.hwCyclesPerJob());
                o.put("hwNsPerJob", c.hwNsPerJob());
                o.put("simWallNsPerJob", c.simWallNsPerJob());
                if (!c.software() && sw.containsKey(c.size())) {
                    o.put("offloadGainNsPerJob", gain(sw.get(c.size()), c));
                }
                o.put("wrong", c.wrong());
                o.put("correct", c.correct());
                if (c.firstWrong() != null) {
                    o.put("firstWrong", c.firstWrong());
                }
            }
            ArrayNode be = s.putArray("breakEven");
            verdicts.get(stage).forEach((impl, v) -> {
                ObjectNode o = be.addObject();
                o.put("impl", impl);
                o.put("verdict", v.kind().name().toLowerCase(Locale.ROOT));
                if (v.kind() != BreakEven.Kind.NEVER) {
                    o.put("size", v.size());
                }
                if (v.kind() == BreakEven.Kind.AT) {
                    o.put("between", v.below());
                    o.put("and", v.above());
                }
                ArrayNode pays = o.putArray("paysAt");
                v.paysAt().forEach(pays::add);
                o.put("text", v.describe());
            });
        }
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        m.writeValue(json.toFile(), root);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
