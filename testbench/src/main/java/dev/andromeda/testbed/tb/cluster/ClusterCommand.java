package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.scenario.ScenarioLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code tb cluster up|status|faults|down}: the whole system as separate processes on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"The whole testbed as separate processes on this machine (127.0.0.1): a 3-server",
                "ZooKeeper ensemble, 3 VM controllers (a master and two standbys), the scenario's hosts and",
                "hoverboards; then a fault plan.",
                "",
                "  tb cluster up          start it, apply the scenario, run its traffic with the scoreboard",
                "  tb cluster status      every process: alive, health, role, versions",
                "  tb cluster faults      inject each fault in turn and measure what it cost",
                "  tb cluster down        stop every process it started (by pid)"},
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class, ClusterCommand.Faults.class,
                ClusterCommand.Down.class})
public final class ClusterCommand implements Runnable {
    @Option(names = "--dir", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Where the cluster keeps its layout, data and logs (default: target/tb-cluster).")
    Path dir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    Path dir() {
        return (dir != null ? dir : Path.of("target", "tb-cluster")).toAbsolutePath();
    }

    /**
     * A line of progress, wrapped to the terminal (COLUMNS, else 80) at spaces only, so a path or a
     * command stays whole; the fault notes are long, and --json keeps them on one line.
     */
    static void say(String s) {
        for (String line : dev.andromeda.testbed.tb.report.TerminalWidth.wrap("tb cluster: " + s,
                dev.andromeda.testbed.tb.report.TerminalWidth.get(), 4)) {
            System.out.println(line);
        }
    }

    static String scoreLine(ClusterRun.Score s) {
        return String.format(Locale.ROOT, "traffic: sent %d, expected %d, delivered %d, lost %d, duplicates %d, "
                        + "misdelivered %d, mismatches %d -- %s", s.sent(), s.expected(), s.delivered(), s.lost(),
                s.duplicates(), s.misdelivered(), s.mismatches(), s.clean() ? "clean" : "NOT CLEAN");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Start the cluster: ZooKeeper ensemble, the desired state (tb netctl apply), controllers,",
                    "hosts; wait until every host runs the master's program; run the scenario's traffic once",
                    "across the processes and check every packet (once, at its VM, byte-identical)."})
    static final class Up implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ClusterCommand parent;

        @Option(names = "--scenario", description = "State and traffic (default: the built-in cluster.yaml: 3 hosts, 1 hoverboard).")
        Path scenario;

        @Option(names = "--zookeepers", defaultValue = "3", description = "Ensemble size, odd (default: ${DEFAULT-VALUE}).")
        int zookeepers;

        @Option(names = "--controllers", defaultValue = "3", description = "VM controllers (default: ${DEFAULT-VALUE}).")
        int controllers;

        @Option(names = "--base-port", defaultValue = "17000",
                description = "Ports from here: ZooKeeper +11.., controllers +110.., hosts' UDP +301.. (default: ${DEFAULT-VALUE}).")
        int basePort;

        @Override
        public Integer call() throws Exception {
            if (zookeepers < 1 || zookeepers > 7 || zookeepers % 2 == 0) {
                throw new IllegalArgumentException("--zookeepers must be odd, 1..7: " + zookeepers);
            }
            if (controllers < 1 || controllers > 5) {
                throw new IllegalArgumentException("--controllers must be 1..5: " + controllers);
            }
            if (basePort < 1024 || basePort > 65_000) {
                throw new IllegalArgumentException("--base-port must be 1024..65000: " + basePort);
            }
            String yaml;
            String name;
            if (scenario != null) {
                ScenarioLoader.load(scenario); // refused with file, line and reason before anything starts
                yaml = Files.readString(scenario, StandardCharsets.UTF_8);
                name = scenario.toString();
            } else {
                yaml = builtin();
                name = "classpath:/scenarios/cluster.yaml";
            }
            ClusterRun.Shape shape = new ClusterRun.Shape(zookeepers, controllers, basePort, yaml, name);
            long t0 = System.nanoTime();
            ClusterRun c = ClusterRun.up(parent.dir(), shape, ClusterCommand::say);
            say(String.format(Locale.ROOT, "up in %.1f s: %d processes, logs in %s", (System.nanoTime() - t0) / 1e9,
                    c.procs().size(), c.dir().resolve("logs")));
            ClusterRun.Score s = c.traffic(Duration.ofSeconds(30));
            say(scoreLine(s));
            say("next: tb cluster status | tb cluster faults | tb cluster down");
            return s.clean() ? 0 : Tb.EXIT_MISMATCH;
        }

        static String builtin() throws java.io.IOException {
            try (InputStream in = ClusterCommand.class.getResourceAsStream("/scenarios/cluster.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("the built-in /scenarios/cluster.yaml is not on the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Every process: pid, alive, health, role and versions.")
    static final class Status implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ClusterCommand parent;

        @Override
        public Integer call() throws Exception {
            ClusterRun c = ClusterRun.attach(parent.dir(), ClusterCommand::say);
            System.out.printf(Locale.ROOT, "%-8s %8s %-6s %s%n", "process", "pid", "alive", "state");
            int down = 0;
            for (ClusterRun.Proc p : c.procs().values()) {
                boolean alive = c.alive(p.name());
                down += alive ? 0 : 1;
                String state = switch (p.kind()) {
                    case "zk" -> "zookeeper " + ClusterRun.zkMode(p.clientPort()) + ", clients at 127.0.0.1:" + p.clientPort();
                    case "vmc" -> {
                        var m = c.metrics(p.name());
                        yield m.isEmpty() ? "no answer" : (m.getOrDefault("andromeda_vmc_master{partition=\"0\"}", 0L) == 1
                                ? "master" : "standby") + ", epoch " + m.getOrDefault("andromeda_vmc_epoch{partition=\"0\"}", 0L)
                                + ", serving version " + m.getOrDefault("andromeda_vmc_program_version{partition=\"0\"}", -1L);
                    }
                    default -> {
                        var m = c.metrics(p.name());
                        yield m.isEmpty() ? "no answer" : "program version " + m.getOrDefault("andromeda_host_program_version", -1L)
                                + ", epoch floor " + m.getOrDefault("andromeda_host_epoch_floor", -1L) + ", deposed writes refused "
                                + m.getOrDefault("andromeda_host_deposed_writes_refused_total", 0L);
                    }
                };
                System.out.printf(Locale.ROOT, "%-8s %8d %-6s %s%n", p.name(), p.pid(), alive ? "yes" : "NO", state);
            }
            return down == 0 ? 0 : Tb.EXIT_USAGE;
        }
    }

    @Command(name = "faults", mixinStandardHelpOptions = true,
            description = {"On the running cluster (tb cluster up), inject each fault in turn and measure: time to",
                    "a new master, time until every host runs the newest desired state, packets lost on programmed",
                    "flows (traffic sent while the fault holds), updates lost or applied twice, deposed masters'",
                    "writes accepted. Faults: " + "kill-master, pause-master, zk-one-down, zk-quorum-lost,",
                    "kill-host, corrupt-checkpoint, host-restart-no-quorum (a host killed and restarted while",
                    "ZooKeeper has no quorum: it forwards on its checkpoint and cached peers), migrate-vm (a VM",
                    "moved to another host while traffic to it flows: its old host hairpins until all converge)."})
    static final class Faults implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ClusterCommand parent;

        @Option(names = "--json", description = "Also write the results here.")
        Path json;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--only", split = ",", description = "Run only these faults, in this order.")
        List<String> only;

        @Override
        public Integer call() throws Exception {
            // Before any work: a bad output path must not cost the whole run (issue 15).
            dev.andromeda.testbed.tb.cli.OutputPaths.checkFile(spec, json);
            List<String> plan = only != null ? only : FaultPlan.ALL;
            for (String f : plan) {
                if (!FaultPlan.ALL.contains(f)) {
                    throw new IllegalArgumentException("unknown fault '" + f + "' (" + String.join(", ", FaultPlan.ALL) + ")");
                }
            }
            ClusterRun c = ClusterRun.attach(parent.dir(), ClusterCommand::say);
            for (ClusterRun.Proc p : c.procs().values()) {
                if (!c.alive(p.name())) {
                    throw new IllegalStateException(p.name() + " is not running (tb cluster status; tb cluster down, then up)");
                }
            }
            ClusterRun.Score before = c.traffic(Duration.ofSeconds(30));
            say("before the faults, " + scoreLine(before));
            FaultPlan fp = new FaultPlan(c, ClusterCommand::say);
            List<FaultPlan.Result> results = new ArrayList<>();
            for (String f : plan) {
                results.add(fp.run(f));
            }
            System.out.println(FaultPlan.table(results));
            if (json != null) {
                StringBuilder b = new StringBuilder("{\"scoreboard\":{\"sent\":" + before.sent() + ",\"delivered\":"
                        + before.delivered() + ",\"lost\":" + before.lost() + ",\"mismatches\":" + before.mismatches()
                        + ",\"duplicates\":" + before.duplicates() + ",\"misdelivered\":" + before.misdelivered()
                        + "},\"faults\":[");
                for (int i = 0; i < results.size(); i++) {
                    b.append(i == 0 ? "" : ",").append(results.get(i).json());
                }
                Files.writeString(json, b.append("]}\n").toString());
                say("wrote " + json.toAbsolutePath());
            }
            boolean ok = before.clean() && results.stream().allMatch(FaultPlan.Result::survived);
            return ok ? 0 : Tb.EXIT_MISMATCH;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process the cluster started, by pid.")
    static final class Down implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ClusterCommand parent;

        @Override
        public Integer call() throws Exception {
            ClusterRun c = ClusterRun.attach(parent.dir(), ClusterCommand::say);
            List<String> stopped = c.down();
            say(stopped.isEmpty() ? "nothing was running" : "stopped " + String.join(", ", stopped));
            return 0;
        }
    }
}
