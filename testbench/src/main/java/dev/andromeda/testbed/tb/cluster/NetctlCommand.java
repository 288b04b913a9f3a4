package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.tb.demo.DemoTopology;
import dev.andromeda.testbed.tb.report.Words;
import dev.andromeda.testbed.tb.scenario.ScenarioLoader;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tb netctl}: cluster management -- the desired state in ZooKeeper, versioned, changed by compare-and-set. */
@Command(name = "netctl", mixinStandardHelpOptions = true,
        description = {"Cluster management: store the desired network state in ZooKeeper, where every",
                "controller and host watches it.",
                "",
                "  tb netctl --zk 127.0.0.1:2181 apply cluster.yaml",
                "  tb netctl --zk 127.0.0.1:2181 show",
                "  tb netctl --zk 127.0.0.1:2181 migrate 100001 host-2"},
        subcommands = {NetctlCommand.Apply.class, NetctlCommand.Show.class, NetctlCommand.Migrate.class})
public final class NetctlCommand implements Runnable {
    @Option(names = "--zk", defaultValue = "127.0.0.1:2181", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "ZooKeeper connect string (default: ${DEFAULT-VALUE}).")
    String zk;

    @Option(names = "--partitions", defaultValue = "1", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Partitions, as given to every tb vmc (for show; default: ${DEFAULT-VALUE}).")
    int partitions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    CuratorFramework connect() {
        try {
            return PartitionElection.newClient(zk, new PartitionElection.Timeouts(Duration.ofSeconds(10),
                    Duration.ofSeconds(5)));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " (is tb zk running? --zk names it)");
        }
    }

    /** Writes {@code next} over {@code current}; refuses, with why, when another writer came first. */
    static void write(CuratorFramework c, ClusterZk.Stored current, DesiredState next) throws Exception {
        if (!ClusterZk.compareAndSet(c, current, next)) {
            ClusterZk.Stored now = ClusterZk.readDesired(c);
            throw new IllegalStateException("the desired state changed meanwhile (now version "
                    + (now == null ? "none" : now.state().version()) + "); nothing written -- run it again");
        }
        System.out.println("desired state version " + next.version() + " stored");
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Store a state file (a scenario's networks, hosts, VMs, firewall and programming",
                    "model) as the next version. The file is checked first: an invalid one is refused with file,",
                    "line and reason, and nothing changes."})
    static final class Apply implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        NetctlCommand parent;

        @Parameters(paramLabel = "STATE.yaml")
        Path file;

        @Option(names = "--version", description = "The version to store; refused unless newer than the stored one "
                + "(default: the stored one + 1).")
        Long version;

        @Override
        public Integer call() throws Exception {
            // Refused here, with file, line and reason, before anything is written.
            if (ScenarioLoader.load(file).control().model().equals("on-demand")) {
                // tb vmc would run it, but tb host has no MissReporter yet: no miss would ever reach
                // the controller, and every flow would stay on the hoverboards.
                throw new IllegalArgumentException(file + ": model on-demand runs in tb demo only; tb host"
                        + " does not report flow misses yet");
            }
            String yaml = Files.readString(file, StandardCharsets.UTF_8);
            try (CuratorFramework c = parent.connect()) {
                ClusterZk.Stored current = ClusterZk.readDesired(c);
                long held = current == null ? 0 : current.state().version();
                long next = version == null ? held + 1 : version;
                if (next <= held) {
                    throw new IllegalArgumentException("version " + next + " is not newer than version " + held
                            + " stored; nothing changed");
                }
                DesiredState d = new DesiredState(next, yaml, current == null ? Map.of() : current.state().moves());
                d.topology(); // the moves must still name VMs and hosts of the new file
                write(c, current, d);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The stored desired state, each partition's master and epoch, and the hosts running.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        NetctlCommand parent;

        @Override
        public Integer call() throws Exception {
            try (CuratorFramework c = parent.connect()) {
                ClusterZk.Stored s = ClusterZk.readDesired(c);
                if (s == null) {
                    System.out.println("no desired state (tb netctl apply STATE.yaml)");
                } else {
                    DemoTopology t = s.state().topology();
                    System.out.println("desired state version " + s.state().version() + ": scenario '"
                            + t.scenario().name() + "', model " + t.scenario().control().model() + ", "
                            + Words.count(t.state().networks().size(), "network") + ", "
                            + Words.count(t.state().vms().size(), "VM") + " on "
                            + Words.count(t.scenario().hosts(), "host") + ", "
                            + Words.count(t.scenario().hoverboards(), "hoverboard"));
                    s.state().moves().forEach((vm, host) -> System.out.println("  VM " + vm + " moved to host-" + host));
                }
                for (int p : ConsistentHashRing.of(parent.partitions).partitions()) {
                    VmcNode.Master m = VmcNode.publishedMaster(c, p);
                    System.out.println("partition " + p + ": " + (m == null ? "no master"
                            : "master at " + ClusterZk.hostPort(m.address()) + ", epoch " + m.epoch()));
                }
                for (ClusterZk.HostEndpoint e : ClusterZk.hosts(c).values()) {
                    System.out.println(e.name() + ": udp " + ClusterZk.hostPort(e.udp()) + ", http "
                            + ClusterZk.hostPort(e.http()));
                }
            }
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Move a VM to another host (live: its old host hairpins its packets to the new one",
                    "until every host runs the new programs). VM: its id (tb netctl show) or VNI:ADDRESS."})
    static final class Migrate implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        NetctlCommand parent;

        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "HOST")
        String host;

        @Override
        public Integer call() throws Exception {
            try (CuratorFramework c = parent.connect()) {
                ClusterZk.Stored s = ClusterZk.readDesired(c);
                if (s == null) {
                    throw new IllegalArgumentException("no desired state to migrate in (tb netctl apply first)");
                }
                DemoTopology t = s.state().topology();
                Vm v = find(t, vm);
                int to = HostCommand.HostNames.hostId(host.startsWith("host-") ? host : "host-" + host);
                if (to > t.scenario().hosts()) {
                    throw new IllegalArgumentException("no VM host " + host + ": the VM hosts are host-1..host-"
                            + t.scenario().hosts());
                }
                if (v.hostId() == to) {
                    throw new IllegalArgumentException("VM " + v.id() + " already runs on host-" + to);
                }
                write(c, s, s.state().withMove(v.id(), to));
            }
            return 0;
        }

        private static Vm find(DemoTopology t, String text) {
            try {
                if (text.contains(":")) {
                    String[] f = text.split(":", 2);
                    byte[] a = java.net.InetAddress.getByName(f[1]).getAddress();
                    Vm v = t.state().vm(Integer.parseInt(f[0]), java.nio.ByteBuffer.wrap(a).getInt());
                    if (v != null) {
                        return v;
                    }
                } else {
                    Vm v = t.state().vm(Integer.parseInt(text));
                    if (v != null) {
                        return v;
                    }
                }
            } catch (java.io.IOException | RuntimeException bad) {
                // below
            }
            throw new IllegalArgumentException("no VM '" + text + "' in the desired state (tb netctl show lists them)");
        }
    }
}
