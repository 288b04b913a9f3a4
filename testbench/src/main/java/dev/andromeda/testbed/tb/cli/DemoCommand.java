package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.demo.Demo;
import dev.andromeda.testbed.tb.demo.DemoJson;
import dev.andromeda.testbed.tb.demo.DemoTables;
import dev.andromeda.testbed.tb.demo.RunResult;
import dev.andromeda.testbed.tb.pcap.PcapTap;
import dev.andromeda.testbed.tb.pcap.PspDissector;
import dev.andromeda.testbed.tb.report.DemoHtmlReport;
import dev.andromeda.testbed.tb.report.Progress;
import dev.andromeda.testbed.tb.scenario.Scenario;
import dev.andromeda.testbed.tb.scenario.ScenarioException;
import dev.andromeda.testbed.tb.scenario.ScenarioLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tb demo}: the main job. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "The main job: a virtual network run end to end under every stage mix.",
                "",
                "The scenario (built in, or --scenario FILE) gives hosts, hoverboards,",
                "VMs, virtual networks (plain GENEVE and PSP-encrypted), firewall rules,",
                "the programming model, the traffic and the stage mixes. For each mix a",
                "fresh network is built: the hosts' dataplanes (each with a coprocessor",
                "thread) on an in-memory switch, a VM controller elected on an embedded",
                "ZooKeeper that programs them over gRPC, and the VMs' traffic",
                "(heavy-tailed flows, 64 bytes to jumbo, TCP and UDP). A scoreboard",
                "checks that every packet arrives exactly once, byte-identical to the",
                "all-sw run. Then: per stage CPU ns, hardware cycles, modelled hardware",
                "ns and simulation time; the share of traffic through the hoverboards",
                "over time; the offload flows the controller programmed.",
                ""},
        footer = {"", "Exit status: 0 every run clean; 4 a packet lost, duplicated or changed;",
                "1 usage error (a bad scenario file says which line and why); 5 a mix",
                "could not run where the RTL is required (CI=true)."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--scenario", paramLabel = "FILE", description = "Scenario YAML (default: the built-in one;"
            + " see testbench/src/main/resources/scenarios/default.yaml).")
    Path scenarioFile;

    @Option(names = "--ladder", paramLabel = "RUNG", description = "Wire the network as a rung of Andromeda's"
            + " version ladder and run the traffic through it (its stage mix only): pre-andromeda, 1.0, 1.5, 2.0,"
            + " 2.1, 2.2 (a VMM hop thread, loopback UDP sockets, guest checksums, batching; tb paper measures them).")
    String ladder;

    @Option(names = "--quick", description = "A short run: at most 1,000 packets and 4 intervals.")
    boolean quick;

    @Option(names = "--packets", paramLabel = "N", description = "Override the scenario's packet count.")
    Integer packets;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write the all-sw run's traffic between hosts "
            + "as a pcap file, with psp.lua beside it (a PSP dissector: tshark -X lua_script:psp.lua -r FILE).")
    Path pcap;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write an HTML report with charts here (default target/tb-demo/report in the clone).")
    Path report;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "ZooKeeper data and host checkpoints (default target/tb-demo in the clone).")
    Path workDir;

    // A plain flag, not picocli's negatable --[no-]warmup: with a default of true that one toggles
    // the default, so --no-warmup warmed up and --warmup skipped (issue 15).
    @Option(names = "--no-warmup",
            description = "Skip the JIT warm-up (by default a short run of every mix first).")
    boolean noWarmup;

    /** Enough for the JIT to compile the dataplane's loops before the measured runs. */
    static final int WARMUP_PACKETS = 500;

    @Spec
    CommandSpec spec;

    /** Held so the setting sticks: the control plane's routine INFO lines would bury the tables. */
    private static final java.util.logging.Logger CONTROL_LOG =
            java.util.logging.Logger.getLogger("dev.andromeda.testbed.control");

    @Override
    public Integer call() throws Exception {
        // Not defaultValue: picocli would resolve those against the user's folder (UserDir.install).
        report = report != null ? report : UserDir.scratch("target/tb-demo/report");
        workDir = workDir != null ? workDir : UserDir.scratch("target/tb-demo");
        // Before any work: a bad output path must not cost the whole run (issue 15).
        OutputPaths.checkFile(spec, json);
        OutputPaths.checkFile(spec, pcap);
        OutputPaths.checkDir(spec, report);
        LadderRung rung = null;
        if (ladder != null) {
            try {
                rung = LadderRung.parse(ladder);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--ladder: " + e.getMessage());
            }
            checkPcap(rung);
        }
        CONTROL_LOG.setLevel(java.util.logging.Level.WARNING);
        Scenario s;
        try {
            s = scenarioFile == null ? ScenarioLoader.defaults() : ScenarioLoader.load(scenarioFile);
        } catch (ScenarioException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        s = sized(s);
        if (rung == null && s.dataplane() != null) { // the scenario's dataplane: key; --ladder wins over it
            rung = LadderRung.parse(s.dataplane());
            checkPcap(rung);
        }
        System.out.println(DemoTables.header(s, workDir));
        if (rung != null) {
            System.out.println("dataplane: ladder-" + rung.label() + " (" + rung.describe() + ")");
        }
        Progress progress = new Progress();
        Demo.Report r;
        try (PcapTap tap = pcap == null ? null : new PcapTap(pcap)) {
            r = Demo.run(s, workDir, !noWarmup ? Math.min(WARMUP_PACKETS, s.traffic().packets()) : 0, tap,
                    (run, runs, mix, sent, n) ->
                    progress.update("run " + run + "/" + runs + " " + mix, sent, n), rung);
            progress.done();
            if (tap != null) {
                Path lua = PspDissector.writeBeside(pcap);
                // Wrapped at the terminal's width: the paths make these lines as long as they are.
                java.io.PrintWriter stdout = new java.io.PrintWriter(System.out, true);
                Tb.printWrapped(stdout, "pcap: " + tap.frames() + " frames of the all-sw run written to "
                        + pcap.toAbsolutePath());
                Tb.printWrapped(stdout, "  PSP decodes with the dissector written beside it:");
                Tb.printWrapped(stdout, "  tshark -X lua_script:" + lua.toAbsolutePath() + " -r "
                        + pcap.toAbsolutePath());
            }
        }
        System.out.println(DemoTables.render(r));
        if (json != null) {
            DemoJson.write(r, json);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        Path html = DemoHtmlReport.write(r, report);
        System.out.println("HTML report: " + html.toAbsolutePath().toUri());
        boolean unavailable = r.runs().stream().anyMatch(x -> !x.ran());
        if (unavailable) {
            System.out.println();
            System.out.println("Some mixes could not run here (see above); './tb impls' says why,");
            System.out.println("'sudo apt-get install -y verilator g++ make' then './tb build' brings the RTL ones.");
        }
        if (r.runs().stream().filter(RunResult::ran).anyMatch(x -> !x.verdict().clean())) {
            System.out.println("FAIL: a run lost, duplicated, misdelivered or changed packets (see the examples).");
            return Tb.EXIT_MISMATCH;
        }
        if (unavailable && HardwareBackends.rtlRequired()) {
            return Tb.EXIT_UNAVAILABLE;
        }
        return 0;
    }

    /** The scenario with --quick and --packets applied. */
    /** The capture point is the memory switch: a rung that joins the hosts by kernel sockets has none. */
    private void checkPcap(LadderRung rung) {
        if (pcap != null && rung.kernelPath() != null) {
            throw new ParameterException(spec.commandLine(), "--pcap: rung " + rung.label() + " joins the hosts"
                    + " by kernel sockets, where the capture point (the memory switch) is not");
        }
    }

    private Scenario sized(Scenario s) {
        int n = packets != null ? packets : quick ? Math.min(1000, s.traffic().packets()) : s.traffic().packets();
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--packets must be at least 1");
        }
        int flows = Math.min(s.traffic().flows(), n);
        Scenario.Traffic t = new Scenario.Traffic(n, flows, s.traffic().flowSizeAlpha(), s.traffic().tcpShare(),
                s.traffic().minFrame(), s.traffic().maxFrame(), s.traffic().sizes());
        Scenario.ControlPlane c = s.control();
        if (quick) {
            c = new Scenario.ControlPlane(c.model(), c.offloadThresholdBps(), Math.min(4, c.intervals()),
                    c.intervalSeconds(), c.idleIntervals());
        }
        return new Scenario(s.name(), s.seed(), s.hosts(), s.hoverboards(), s.vmsPerHost(), c, s.networks(), t,
                s.mixes(), s.clockMHz(), s.dataplane());
    }
}
