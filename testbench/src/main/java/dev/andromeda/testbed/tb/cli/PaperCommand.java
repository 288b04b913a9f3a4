package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.NetworkSizes;
import dev.andromeda.testbed.control.programming.OffloadDraw;
import dev.andromeda.testbed.control.programming.OffloadPlanner;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.programming.ScaleRun;
import dev.andromeda.testbed.control.scale.ProgrammedScaleRun;
import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.tb.ladder.LadderTable;
import dev.andromeda.testbed.tb.ladder.VersionLadder;
import dev.andromeda.testbed.tb.paper.HoverboardShare;
import dev.andromeda.testbed.tb.paper.MigrationBlackout;
import dev.andromeda.testbed.tb.paper.PaperCharts;
import dev.andromeda.testbed.tb.report.Progress;
import dev.andromeda.testbed.tb.report.TerminalWidth;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tb paper}: the NSDI'18 paper's figures beside ours. Each figure is either measured by a
 * run this command makes, or reported as not reproduced (null, with a note) -- never a number
 * typed in. The paper's own numbers are the constants of {@link #paperFigures}, quoted from it.
 */
@Command(name = "paper", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "The Andromeda paper's figures (Dalton et al., NSDI'18) beside this testbed's, measured now.",
                "",
                "Runs the control-plane scale run on real programming (tb control-scale --mode programmed) for the",
                "hoverboard and the pre-programmed models on the paper's 40,000-VM network (network sizes " + NetworkSizes.PAPER + "),",
                "with the time to program new VMs in it; repeated live migrations under traffic (blackout, packets",
                "lost); the version ladder (pre-Andromeda, 1.0, 1.5, 2.0, 2.1, 2.2) as configurations of the real",
                "dataplane, each measured for throughput, latency and CPU cycles per byte; and prints each figure",
                "with the paper's, their ratio and what differs and why.",
                ""})
public final class PaperCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Fewer new VMs and a smaller pre-programmed sample (about 1-2 minutes here).")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write {\"figures\":[{\"id\":..,\"paper\":..,\"ours\":..,\"unit\":..,\"note\":..}]}.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write DIR/paper.html: the table, and charts"
            + " (the ladder, the hoverboard share, the blackouts; also as PNGs in DIR).")
    Path report;

    @Option(names = "--only", paramLabel = "PART", split = ",",
            description = "Run only these parts: scale, share, migration, ladder (default: all). Figures of parts"
                    + " not run are listed with no number.")
    List<String> only;

    @Option(names = "--vms", defaultValue = "40000", paramLabel = "N", description = "VMs (default ${DEFAULT-VALUE}, the paper's).")
    int vms;

    @Option(names = "--hosts", defaultValue = "10000", paramLabel = "H", description = "Hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One figure: the paper's value and ours (null when not reproduced), with what differs. */
    public record Figure(String id, String what, Double paper, Double ours, String unit, String note) {
        Double ratio() {
            return paper == null || ours == null || paper == 0 ? null : ours / paper;
        }
    }

    @Override
    public Integer call() throws Exception {
        OutputPaths.checkFile(spec, json);
        OutputPaths.checkDir(spec, report);
        if (vms < 1 || hosts < 2 || hosts > vms) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --vms >= --hosts >= 2");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (ScaleRun.networkBytes(vms, hosts) * 2 > heap) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format("%,d VMs over %,d hosts need"
                    + " more heap than this JVM's %,d MB: JAVA_OPTS=-Xmx...", vms, hosts, heap >> 20));
        }
        List<String> parts = List.of("scale", "share", "migration", "ladder");
        if (only != null) {
            for (String o : only) {
                if (!parts.contains(o)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--only: no part '" + o
                            + "'; parts: " + String.join(", ", parts));
                }
            }
        }
        java.util.function.Predicate<String> runs = part -> only == null || only.contains(part);
        NetworkSizes sizes = NetworkSizes.parse(NetworkSizes.PAPER);
        int threads = Runtime.getRuntime().availableProcessors();
        long budget = Math.max(64L << 20, (heap - ScaleRun.networkBytes(vms, hosts)) / 2);
        Progress bar = new Progress();
        ProgrammedScaleRun.Result hov;
        ProgrammedScaleRun.Result pre;
        MigrationBlackout.Result migration;
        HoverboardShare.Result share;
        VersionLadder.Result ladder = null;
        String hoverboardOffloads = null;
        try {
            if (runs.test("scale")) {
                System.out.println("scale run, hoverboard model, on real programming ...");
                HoverboardModel hovModel = hoverboardModel();
                hov = ProgrammedScaleRun.run(new ProgrammedScaleRun.Config(vms, hosts, hovModel, 30, sizes,
                        ScaleRun.DEFAULT_SEED, budget, 10_000_000, quick ? 10 : 100, threads), bar::update);
                hoverboardOffloads = hovModel.draw().describe();
                bar.done();
                System.out.println("scale run, pre-programmed model, on real programming (a sample, extrapolated) ...");
                pre = ProgrammedScaleRun.run(new ProgrammedScaleRun.Config(vms, hosts, new PreProgrammedModel(), 30,
                        sizes, ScaleRun.DEFAULT_SEED, budget, quick ? 300_000 : 3_000_000, 0, threads), bar::update);
                bar.done();
            } else {
                hov = null;
                pre = null;
            }
            if (runs.test("share")) {
                System.out.println("hoverboard share against offload flows ...");
                share = HoverboardShare.run(quick ? 2_000 : 10_000, ScaleRun.DEFAULT_SEED);
            } else {
                share = null;
            }
            if (runs.test("migration")) {
                System.out.println("live migration under traffic, repeated ...");
                Path scratch = Files.createTempDirectory("tb-paper-migration");
                try {
                    migration = MigrationBlackout.run(quick ? 20 : 100, scratch);
                } finally {
                    deleteTree(scratch);
                }
            } else {
                migration = null;
            }
            if (runs.test("ladder")) {
                System.out.println("the version ladder, each rung a configuration of the dataplane ...");
                ladder = VersionLadder.run(List.of(LadderRung.values()), quick ? LADDER_FRAMES_QUICK : LADDER_FRAMES,
                        quick ? LADDER_PINGS_QUICK : LADDER_PINGS, ScaleRun.DEFAULT_SEED,
                        rung -> System.out.println("  rung " + rung + " ..."));
            }
        } finally {
            bar.done();
        }
        List<Figure> figures = figures(hov, pre, migration, share, ladder, hoverboardOffloads);
        int width = TerminalWidth.get();
        System.out.println();
        for (Figure f : figures) {
            String line = String.format(Locale.ROOT, "%-36s paper %s, ours %s %s%s", f.id(), num(f.paper()),
                    num(f.ours()), f.unit(), f.ratio() == null ? "" : String.format(Locale.ROOT, " (ratio %.3g)",
                            f.ratio()));
            TerminalWidth.wrap(line, width, 2).forEach(System.out::println);
            TerminalWidth.wrap("  " + f.note(), width, 4).forEach(System.out::println);
        }
        System.out.println();
        if (hov != null) {
            TerminalWidth.wrap(hov.statement(), width, 2).forEach(System.out::println);
            TerminalWidth.wrap(pre.statement(), width, 2).forEach(System.out::println);
        }
        if (ladder != null) {
            System.out.println();
            LadderTable.render(ladder, width).forEach(System.out::println);
        }
        if (json != null) {
            ObjectMapper o = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = o.createObjectNode();
            ArrayNode arr = root.putArray("figures");
            for (Figure f : figures) {
                ObjectNode n = arr.addObject();
                n.put("id", f.id());
                n.put("what", f.what());
                putNumber(n, "paper", f.paper());
                putNumber(n, "ours", f.ours());
                n.put("unit", f.unit());
                putNumber(n, "ratio", f.ratio());
                n.put("note", f.note());
            }
            if (hov != null) {
                root.set("runs", o.createArrayNode().add(o.valueToTree(hov)).add(o.valueToTree(pre)));
            }
            root.set("migration", o.valueToTree(migration));
            root.set("hoverboardShare", o.valueToTree(share));
            root.set("ladder", o.valueToTree(ladder));
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            o.writeValue(json.toFile(), root);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        if (report != null) {
            Files.createDirectories(report);
            Path page = report.resolve("paper.html");
            Files.writeString(page, html(figures, hov, pre).replace("</body></html>\n", charts(report, ladder, share,
                    migration) + "</body></html>\n"), StandardCharsets.UTF_8);
            System.out.println("report written to " + page.toAbsolutePath());
        }
        return 0;
    }

    /**
     * Peers each VM sends to in the hoverboard scale run (an assumption, stated in the report): with
     * the hoverboard-share run's Pareto bandwidths, about 3.7 % of flows pass the 20 kbps threshold
     * and get an offload flow.
     */
    static final int ACTIVE_PEERS_PER_VM = 1_000;

    /** The hoverboard model with the offload flows a network at scale has once the planner ran. */
    static HoverboardModel hoverboardModel() {
        return new HoverboardModel(HoverboardModel.DEFAULT_PROTOCOLS, new OffloadDraw(ACTIVE_PEERS_PER_VM,
                HoverboardShare.SHAPE, HoverboardShare.MIN_BPS, OffloadPlanner.DEFAULT_THRESHOLD_BPS,
                ScaleRun.DEFAULT_SEED));
    }

    /** 9,000-byte frames per rung's throughput run, and round trips per latency run. */
    static final int LADDER_FRAMES = 60_000;
    static final int LADDER_PINGS = 20_000;
    static final int LADDER_FRAMES_QUICK = 12_000;
    static final int LADDER_PINGS_QUICK = 4_000;

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void putNumber(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static String num(Double v) {
        if (v == null) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", v.longValue());
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** The paper's figures (quoted from Dalton et al., NSDI'18) beside what the runs measured (null: not run). */
    static List<Figure> figures(ProgrammedScaleRun.Result hov, ProgrammedScaleRun.Result pre,
                                MigrationBlackout.Result mig, HoverboardShare.Result share,
                                VersionLadder.Result ladder, String hoverboardOffloads) {
        String where = "2 cores shared with other work, 30 controllers taking turns in one JVM with the simulated"
                + " agents (the paper: a partition per machine, real hosts)";
        String notRun = "not run this time (--only): no number";
        List<Figure> f = new ArrayList<>();
        if (pre == null) {
            f.add(new Figure("scale-preprogrammed-flows", "flows, 40,000-VM network, pre-programmed", 487e6, null,
                    "flows", notRun));
            f.add(new Figure("scale-preprogrammed-seconds", "time to program the network, pre-programmed", 74.0, null,
                    "s", notRun));
            f.add(new Figure("scale-preprogrammed-mb-per-partition", "controller memory per partition,"
                    + " pre-programmed", 10_000.0, null, "MB", notRun));
            f.add(new Figure("scale-hoverboard-flows", "flows, 40,000-VM network, hoverboards", 1.5e6, null, "flows",
                    notRun));
            f.add(new Figure("scale-hoverboard-seconds", "time to program the network, hoverboards", 1.9, null, "s",
                    notRun));
            f.add(new Figure("scale-hoverboard-mb-per-partition", "controller memory per partition, hoverboards",
                    513.0, null, "MB", notRun));
            f.add(new Figure("new-vm-latency-median-ms", "time to program a new VM, median", 184.0, null, "ms",
                    notRun));
            f.add(new Figure("new-vm-latency-p99-ms", "time to program a new VM, 99th percentile", 576.0, null, "ms",
                    notRun));
        } else {
            f.add(new Figure("scale-preprogrammed-flows", "flows, 40,000-VM network, pre-programmed", 487e6,
                    (double) pre.flows(), "flows", String.format(Locale.ROOT, "every ordered pair of VMs of a network, per"
                            + " protocol (3), counted by definition; our networks are %s (largest %,d VMs), chosen so the"
                            + " count lands in the paper's range -- an input calibrated, not a measured distribution",
                    pre.networkSizes(), pre.largestNetwork())));
            f.add(new Figure("scale-preprogrammed-seconds", "time to program the network, pre-programmed", 74.0,
                    pre.seconds(), "s", String.format(Locale.ROOT, "EXTRAPOLATED from %,d flows programmed for real on %,d"
                            + " hosts (%.2f s), linearly by flows; %s", pre.programmedFlows(), pre.hostsProgrammed(),
                    pre.measuredSeconds(), where)));
            f.add(new Figure("scale-preprogrammed-mb-per-partition", "controller memory per partition, pre-programmed",
                    10_000.0, pre.heapPerPartitionBytes() / 1e6, "MB", "EXTRAPOLATED from the sample's retained controller"
                    + " heap; our programs are compact (about 25 B a flow encoded, kept decoded as Java objects)"));
            f.add(new Figure("scale-hoverboard-flows", "flows, 40,000-VM network, hoverboards", 1.5e6,
                    (double) hov.flows(), "flows", String.format(Locale.ROOT, "programmed for real: hosts' local"
                            + " flows, one route per VM on each of our %d hoverboards, and %s -- the count rests on"
                            + " that assumption", hov.hoverboards(), hoverboardOffloads)));
            f.add(new Figure("scale-hoverboard-seconds", "time to program the network, hoverboards", 1.9, hov.seconds(),
                    "s", String.format(Locale.ROOT, "programmed for real, sum of the 30 partitions' times (slowest"
                            + " partition %.2f s, it holds a hoverboard's %,d routes); %s", hov.slowestPartitionSeconds(),
                    hov.vms(), where)));
            f.add(new Figure("scale-hoverboard-mb-per-partition", "controller memory per partition, hoverboards", 513.0,
                    hov.heapPerPartitionBytes() / 1e6, "MB", "measured: the controllers' heap after GC once the agents"
                    + " are gone, over 30 partitions; fewer flows than the paper's, and no VM controller state beyond"
                    + " the programs"));
            if (hov.newVm() != null) {
                f.add(new Figure("new-vm-latency-median-ms", "time to program a new VM, median", 184.0,
                        hov.newVm().medianMs(), "ms", String.format(Locale.ROOT, "%d new VMs in the programmed hoverboard"
                                + " network, %.1f hosts reprogrammed each (its host and every hoverboard, whose %,d-route"
                                + " program is recomputed, sent as a delta and rebuilt whole by the agent); no checkpoint"
                                + " to disk; %s", hov.newVm().vms(), hov.newVm().hostsPerVm(), hov.vms(), where)));
                f.add(new Figure("new-vm-latency-p99-ms", "time to program a new VM, 99th percentile", 576.0,
                        hov.newVm().p99Ms(), "ms", String.format(Locale.ROOT, "over %d VMs only: the tail is the"
                                + " few largest samples (max %.0f ms)", hov.newVm().vms(), hov.newVm().maxMs())));
            }
        }
        if (share == null) {
            f.add(new Figure("hoverboard-share-after-offload", "share of traffic through hoverboards after offload",
                    null, null, "%", notRun));
        } else {
            StringBuilder curve = new StringBuilder();
            for (HoverboardShare.Point p : share.curve()) {
                curve.append(curve.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%d: %.1f %%",
                        p.offloadFlows(), 100 * p.hoverboardShare()));
            }
            f.add(new Figure("hoverboard-share-after-offload", "share of traffic through hoverboards after offload", null,
                    100 * share.shareAtDefault(), "%", String.format(Locale.ROOT, "the paper shows it as a curve, no single"
                            + " number quoted here; ours: %,d flows of Pareto bandwidth (shape %.1f, min %.0f b/s, a stated"
                            + " shape), the real offload planner at the paper's 20 kbps offloads %d flows, the real"
                            + " hoverboard model's tables route the rest to the hoverboards; offload flows: share = %s",
                    share.flows(), share.shape(), share.minBps(), share.offloadsAtDefault(), curve)));
        }
        if (mig == null) {
            f.add(new Figure("migration-blackout-median-ms", "live migration blackout, median", 65.0, null, "ms",
                    notRun));
            f.add(new Figure("migration-lost-packets", "packets lost in live migration", 0.0, null, "packets",
                    notRun));
        } else {
            f.add(new Figure("migration-blackout-median-ms", "live migration blackout, median", 65.0,
                    Double.isNaN(mig.medianMs()) ? null : mig.medianMs(), "ms", String.format(Locale.ROOT, "%d migrations"
                            + " back and forth under a UDP stream (LiveMigration through an elected VM controller, gRPC,"
                            + " real host agents, hosts in memory); blackout = last packet delivered on the old host to"
                            + " the first on the new one; p99 %.3f ms; no guest memory is copied here, so this is only the"
                            + " network's share (the paper's includes pausing the VM for its last pages); the old host"
                            + " hairpinned for a median %.1f ms while the controller reprogrammed the senders",
                    mig.migrations(), mig.p99Ms(), median(mig.hairpinMs()))));
            f.add(new Figure("migration-lost-packets", "packets lost in live migration", 0.0, (double) mig.lost(),
                    "packets", String.format(Locale.ROOT, "%,d sent, %,d delivered, %,d delivered twice, %,d hairpinned by"
                            + " the old host while the controller reprogrammed the senders", mig.sent(), mig.delivered(),
                    mig.duplicated(), mig.hairpinned())));
        }
        if (ladder == null) {
            f.add(new Figure("ladder-throughput-ratio", "throughput, Andromeda 2.2 over pre-Andromeda", 19.0, null, "x",
                    notRun));
            f.add(new Figure("ladder-latency-ratio", "latency, pre-Andromeda over Andromeda 2.2", 7.0, null, "x",
                    notRun));
            f.add(new Figure("ladder-cycles-per-byte-ratio", "CPU cycles per byte, pre-Andromeda over 2.2", 16.0,
                    null, "x", notRun));
        } else {
            VersionLadder.Point first = ladder.first();
            VersionLadder.Point last = ladder.last();
            String rungs = "each rung a configuration of the real dataplane (VMM hop thread and copy, loopback UDP"
                    + " sockets, guest vs vNIC checksums, batching, blocking vs busy polling, dma_copy's emu model"
                    + " for copies from 1 KiB on 2.2), two hosts on one dataplane thread on 2 shared cores";
            f.add(new Figure("ladder-throughput-ratio", "throughput, Andromeda 2.2 over pre-Andromeda", 19.0,
                    ladder.throughputRatio(), "x", String.format(Locale.ROOT, "single stream of 9,000-byte frames:"
                            + " %.2f Gb/s on %s, %.2f Gb/s on %s; %s; the paper's are real NICs and VMs at line"
                            + " rate", first.gbps(), first.rung(), last.gbps(), last.rung(), rungs)));
            f.add(new Figure("ladder-latency-ratio", "latency, pre-Andromeda over Andromeda 2.2", 7.0,
                    ladder.latencyRatio(), "x", String.format(Locale.ROOT, "64-byte ping-pong, median round trip"
                            + " %.1f us on %s, %.1f us on %s (p99 %.1f / %.1f us); wake-ups on a loaded 2-core"
                            + " machine cost more than on the paper's dedicated cores", first.rttMedianUs(),
                    first.rung(), last.rttMedianUs(), last.rung(), first.rttP99Us(), last.rttP99Us())));
            f.add(new Figure("ladder-cycles-per-byte-ratio", "CPU cycles per byte, pre-Andromeda over 2.2", 16.0,
                    ladder.cyclesPerByteRatio(), "x", String.format(Locale.ROOT, "%.2f cycles/B on %s, %.2f on %s;"
                            + " %s; a busy-polling dataplane's idle spinning counts too", first.cyclesPerByte(),
                    first.rung(), last.cyclesPerByte(), last.rung(), ladder.method())));
        }
        return f;
    }

    private static String html(List<Figure> figures, ProgrammedScaleRun.Result hov, ProgrammedScaleRun.Result pre) {
        StringBuilder b = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>tb paper</title>"
                + "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}td.n{text-align:right}"
                + ".bar{display:inline-block;height:.8em;background:#48c}</style></head><body>"
                + "<h1>Andromeda (NSDI'18): the paper's figures beside ours</h1><table><tr><th>figure</th><th>paper</th>"
                + "<th>ours</th><th>unit</th><th>ours / paper</th><th>what differs and why</th></tr>");
        for (Figure f : figures) {
            Double r = f.ratio();
            String bar = r == null ? "" : "<br><span class=\"bar\" style=\"width:" + Math.max(1, Math.min(300,
                    Math.round(100 * Math.log10(Math.max(1e-3, r)) + 150))) + "px\"></span>";
            b.append("<tr><td>").append(esc(f.id())).append("<br><small>").append(esc(f.what())).append("</small></td>")
                    .append("<td class=\"n\">").append(num(f.paper())).append("</td><td class=\"n\">").append(num(f.ours()))
                    .append("</td><td>").append(esc(f.unit())).append("</td><td class=\"n\">")
                    .append(r == null ? "-" : String.format(Locale.ROOT, "%.3g", r)).append(bar).append("</td><td>")
                    .append(esc(f.note())).append("</td></tr>");
        }
        b.append("</table><p>The bar is the ratio on a log scale (150 px = 1).</p>");
        if (hov != null) {
            b.append("<p>").append(esc(hov.statement())).append("</p><p>").append(esc(pre.statement())).append("</p>");
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    /** The figures' charts, written beside the page as PNGs and embedded in it. */
    private static String charts(Path dir, VersionLadder.Result ladder, HoverboardShare.Result share,
                                 MigrationBlackout.Result migration) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        if (ladder != null) {
            b.append("<h2>The version ladder</h2><p>Each rung a configuration of the dataplane: ")
                    .append(esc(ladder.method())).append(".</p><p>");
            b.append(PaperCharts.embed(PaperCharts.ladder(ladder, "throughput", "Gb/s", VersionLadder.Point::gbps,
                    String.format(Locale.ROOT, "x%.1f; paper ~19x", ladder.throughputRatio()), false), dir,
                    "ladder-throughput"));
            b.append(PaperCharts.embed(PaperCharts.ladder(ladder, "64 B round trip", "median us",
                    VersionLadder.Point::rttMedianUs, String.format(Locale.ROOT, "/%.1f; paper ~7x",
                            ladder.latencyRatio()), true), dir, "ladder-latency"));
            b.append(PaperCharts.embed(PaperCharts.ladder(ladder, "CPU", "cycles per byte",
                    VersionLadder.Point::cyclesPerByte, String.format(Locale.ROOT, "/%.1f; paper ~16x",
                            ladder.cyclesPerByteRatio()), false), dir, "ladder-cycles-per-byte"));
            b.append("</p><table><tr><th>rung</th><th>configuration</th></tr>");
            for (VersionLadder.Point p : ladder.points()) {
                b.append("<tr><td>").append(esc(p.rung())).append("</td><td>").append(esc(p.configuration()))
                        .append("</td></tr>");
            }
            b.append("</table>");
        }
        if (share != null) {
            b.append("<h2>Hoverboard share</h2><p>")
                    .append(PaperCharts.embed(PaperCharts.share(share), dir, "hoverboard-share")).append("</p>");
        }
        if (migration != null) {
            b.append("<h2>Live migration</h2><p>")
                    .append(PaperCharts.embed(PaperCharts.blackouts(migration), dir, "migration-blackout"))
                    .append("</p>");
        }
        return b.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
