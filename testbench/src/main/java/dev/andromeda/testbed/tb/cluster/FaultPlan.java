package dev.andromeda.testbed.tb.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The faults {@code tb cluster faults} injects into a running cluster, one after the other, each
 * followed by what an operator checks: a new master (when the fault took one away), every host on
 * the newest desired state again, the scenario's traffic on the flows the hosts were programmed
 * with (sent while the fault holds: fail static), and, from every host's record of the programs it
 * accepted, no update applied twice and none accepted from a deposed master.
 */
public final class FaultPlan {
    public static final List<String> ALL = List.of("kill-master", "pause-master", "zk-one-down", "zk-quorum-lost",
            "kill-host", "corrupt-checkpoint", "host-restart-no-quorum", "migrate-vm");

    /** What one fault cost. Seconds are -1 where they do not apply. */
    public record Result(String fault, double newMasterSeconds, double convergedSeconds, long lostOnProgrammedFlows,
                         long updatesLost, long updatesDoubled, long deposedWritesAccepted, long deposedWritesRefused,
                         ClusterRun.Score traffic, long hairpinned, String note) {
        public boolean survived() {
            return lostOnProgrammedFlows == 0 && updatesLost == 0 && updatesDoubled == 0 && deposedWritesAccepted == 0
                    && traffic.clean() && convergedSeconds >= 0;
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"fault\":\"%s\",\"newMasterSeconds\":%s,\"convergedSeconds\":%s,"
                            + "\"lostOnProgrammedFlows\":%d,\"updatesLost\":%d,\"updatesDoubled\":%d,"
                            + "\"deposedWritesAccepted\":%d,\"deposedWritesRefused\":%d,\"hairpinned\":%s,"
                            + "\"duplicates\":%d,\"survived\":%b,\"note\":\"%s\"}",
                    fault, num(newMasterSeconds), num(convergedSeconds), lostOnProgrammedFlows, updatesLost,
                    updatesDoubled, deposedWritesAccepted, deposedWritesRefused,
                    hairpinned < 0 ? "null" : Long.toString(hairpinned), traffic.duplicates(), survived(),
                    note.replace("\"", "'"));
        }

        private static String num(double s) {
            return s < 0 ? "null" : String.format(Locale.ROOT, "%.2f", s);
        }
    }

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final Duration TRAFFIC = Duration.ofSeconds(20);

    private final ClusterRun c;
    private final Consumer<String> say;
    private final Map<String, Long> refusedBefore = new HashMap<>();
    private final Map<String, Map<String, Long>> dropsBefore = new HashMap<>();

    public FaultPlan(ClusterRun cluster, Consumer<String> say) {
        this.c = cluster;
        this.say = say;
    }

    public Result run(String fault) throws Exception {
        for (String h : c.hosts()) {
            Map<String, Long> m = c.metrics(h);
            refusedBefore.put(h, m.getOrDefault("andromeda_host_deposed_writes_refused_total", 0L));
            dropsBefore.put(h, drops(m));
        }
        say.accept("fault " + fault + " ...");
        return switch (fault) {
            case "kill-master" -> killMaster();
            case "pause-master" -> pauseMaster();
            case "zk-one-down" -> zkOneDown();
            case "zk-quorum-lost" -> zkQuorumLost();
            case "kill-host" -> killHost(false);
            case "corrupt-checkpoint" -> killHost(true);
            case "host-restart-no-quorum" -> hostRestartNoQuorum();
            case "migrate-vm" -> migrateVm();
            default -> throw new IllegalArgumentException("unknown fault '" + fault + "' (" + String.join(", ", ALL) + ")");
        };
    }

    private Result killMaster() throws Exception {
        String m = requireMaster();
        long t0 = System.nanoTime();
        c.signal(m, "KILL");
        ClusterRun.Score s = c.traffic(TRAFFIC); // the hosts forward on what they run while the partition has no master
        double elected = awaitNewMaster(m, t0);
        double converged = applyAndConverge(t0);
        c.restart(m);
        return result("kill-master", elected, converged, s, m + " killed (SIGKILL), restarted afterwards");
    }

    private Result pauseMaster() throws Exception {
        String m = requireMaster();
        long sentBefore = programsSent(c.metrics(m));
        long t0 = System.nanoTime();
        c.signal(m, "STOP");
        double elected;
        double converged;
        ClusterRun.Score s;
        try {
            s = c.traffic(TRAFFIC);
            elected = awaitNewMaster(m, t0);
            converged = applyAndConverge(t0);
        } finally {
            c.signal(m, "CONT");
        }
        // Resumed, the old master still believes in its epoch until its session says otherwise: it
        // must learn it is deposed (its writes, if any, refused by every host) and stay a standby.
        ClusterRun.await(m + " to know it is deposed", Duration.ofSeconds(30), () -> {
            Map<String, Long> mm = c.metrics(m);
            return !mm.isEmpty() && mm.getOrDefault("andromeda_vmc_master{partition=\"0\"}", 1L) == 0;
        });
        // What the resumed master wrote: the programs it put on a host stream since it was paused
        // (none expected: by then every host follows the new master and has dropped its stream).
        long sentAfterResume = programsSent(c.metrics(m)) - sentBefore;
        c.awaitConverged("every host on the new master's program after " + m + " resumed", CONVERGE);
        return result("pause-master", elected, converged, s, m + " paused (SIGSTOP) past its session, then resumed; "
                + "programs it sent after resuming: " + sentAfterResume);
    }

    /** The programs a controller has put on its hosts' streams, summed over its hosts. */
    private static long programsSent(Map<String, Long> vmcMetrics) {
        return vmcMetrics.entrySet().stream().filter(e -> e.getKey().startsWith("andromeda_vmc_programs_sent_total"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private Result zkOneDown() throws Exception {
        String z = zookeepers().getLast();
        long t0 = System.nanoTime();
        c.signal(z, "KILL");
        ClusterRun.Score s = c.traffic(TRAFFIC);
        double converged = applyAndConverge(t0); // the quorum holds: updates go on
        c.restart(z);
        c.awaitQuorum(Duration.ofSeconds(60));
        return result("zk-one-down", -1, converged, s, z + " killed; quorum of " + (zookeepers().size() - 1)
                + " held; restarted");
    }

    private Result zkQuorumLost() throws Exception {
        List<String> zs = zookeepers();
        List<String> down = zs.subList(0, zs.size() / 2 + 1);
        for (String z : down) {
            c.signal(z, "KILL");
        }
        // No quorum: no election, no update; the hosts fail static and forward on their programs.
        ClusterRun.Score s = c.traffic(TRAFFIC);
        for (String z : down) {
            c.restart(z);
        }
        long t0 = System.nanoTime();
        c.awaitQuorum(Duration.ofSeconds(90));
        double elected = awaitMaster(t0);
        double converged = applyAndConverge(t0);
        return result("zk-quorum-lost", elected, converged, s, String.join(" and ", down)
                + " killed (no quorum: hosts failed static), restarted; times from the restart");
    }

    private Result killHost(boolean corrupt) throws Exception {
        List<String> hosts = c.hosts().stream().filter(h -> !c.topology().isHoverboard(Integer.parseInt(h.substring(5))))
                .toList();
        String h = corrupt ? hosts.get(Math.min(1, hosts.size() - 1)) : hosts.get(0);
        long t0 = System.nanoTime();
        c.signal(h, "KILL");
        String note = h + " killed (SIGKILL) and restarted from its checkpoint";
        if (corrupt) {
            Path ckpt = c.dir().resolve("data/" + h + "/agent/state.ckpt");
            byte[] b = Files.readAllBytes(ckpt);
            for (int i = 20; i < Math.min(b.length, 60); i++) {
                b[i] ^= (byte) 0x5A; // inside the body: the CRC no longer matches
            }
            Files.write(ckpt, b);
            note = h + " killed, its newest checkpoint damaged, restarted";
        }
        c.restart(h);
        ClusterRun.await(h + " to restore and serve", Duration.ofSeconds(60),
                () -> c.metrics(h).containsKey("andromeda_host_program_version"));
        Map<String, Long> m = c.metrics(h);
        long restored = m.getOrDefault("andromeda_host_restored_version", 0L);
        long bad = m.getOrDefault("andromeda_host_bad_checkpoints_total", 0L);
        note += "; restored version " + restored + (corrupt ? ", damaged checkpoints found: " + bad : "");
        double converged = applyAndConverge(t0);
        ClusterRun.Score s = c.traffic(TRAFFIC);
        Result r = result(corrupt ? "corrupt-checkpoint" : "kill-host", -1, converged, s, note);
        if (corrupt && bad == 0) {
            return new Result(r.fault(), r.newMasterSeconds(), -1, r.lostOnProgrammedFlows(), r.updatesLost(),
                    r.updatesDoubled(), r.deposedWritesAccepted(), r.deposedWritesRefused(), s, -1,
                    note + " -- the damage was NOT detected");
        }
        return r;
    }

    /**
     * A host restarted while ZooKeeper has no quorum: it must forward on its checkpoint, the VMs
     * and the peers it last learned, with no controller and no ZooKeeper to ask (fail static).
     */
    private Result hostRestartNoQuorum() throws Exception {
        List<String> zs = zookeepers();
        List<String> down = zs.subList(0, zs.size() / 2 + 1);
        String h = c.hosts().stream().filter(x -> !c.topology().isHoverboard(Integer.parseInt(x.substring(5))))
                .findFirst().orElseThrow();
        for (String z : down) {
            c.signal(z, "KILL");
        }
        ClusterRun.Score s;
        long restored;
        try {
            c.signal(h, "KILL");
            c.restart(h);
            ClusterRun.await(h + " to restore and serve without ZooKeeper", Duration.ofSeconds(60),
                    () -> c.metrics(h).getOrDefault("andromeda_host_program_version", 0L) > 0);
            restored = c.metrics(h).getOrDefault("andromeda_host_restored_version", 0L);
            s = c.traffic(TRAFFIC);
        } finally {
            for (String z : down) {
                c.restart(z);
            }
        }
        long t0 = System.nanoTime();
        c.awaitQuorum(Duration.ofSeconds(90));
        double elected = awaitMaster(t0);
        double converged = applyAndConverge(t0);
        return result("host-restart-no-quorum", elected, converged, s, h + " killed and restarted while "
                + String.join(" and ", down) + " were down: forwarded on checkpoint v" + restored
                + " and its cached peers; times from the quorum's return");
    }

    /**
     * Live migration across processes ({@code tb netctl migrate}'s write): a VM of the first VM
     * host moves to the next one while traffic flows. Rounds are sent back to back from the moment
     * the move is stored until every host runs the new program, so packets to the VM reach its old
     * host (which hairpins them) as well as its new one; the moved VM's own packets are left out of
     * those rounds (it is paused while it moves). A last full round, after convergence, has it send
     * from its new host.
     */
    private Result migrateVm() throws Exception {
        List<String> vmHosts = c.hosts().stream().filter(x -> !c.topology().isHoverboard(Integer.parseInt(x.substring(5))))
                .toList();
        int from = Integer.parseInt(vmHosts.get(0).substring(5));
        int to = Integer.parseInt(vmHosts.get(1 % vmHosts.size()).substring(5));
        var vm = c.topology().vms().stream().filter(v -> v.vm().hostId() == from).findFirst().orElseThrow().vm();
        var plan = dev.andromeda.testbed.tb.demo.TrafficPlan.draw(c.topology());
        long toVm = 0;
        for (int i = 0; i < plan.intervals(); i++) {
            toVm += plan.interval(i).stream().filter(p -> p.receiver().vm().id() == vm.id()).count();
        }
        String oldHost = "host-" + from;
        long hairpinnedBefore = c.metrics(oldHost).getOrDefault("andromeda_host_hairpinned_total", 0L);
        long handoversBefore = c.metrics(oldHost).getOrDefault("andromeda_host_handovers_total", 0L);
        long t0 = System.nanoTime();
        ClusterRun.await("ZooKeeper to store the move", Duration.ofSeconds(30), () -> {
            try {
                return c.migrate(vm.id(), to);
            } catch (Exception e) {
                return false;
            }
        });
        long stored = c.storedVersion();
        // Rounds go on until both are seen: the old host handed the VM over (from then on it
        // hairpins) and every host runs the new program (from then on nobody sends to the old host).
        List<ClusterRun.Round> during = new ArrayList<>();
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        boolean handedOver = false;
        double converged = -1;
        do {
            ClusterRun.Round r = c.startTraffic(vm.id());
            during.add(r);
            ClusterRun.await("round " + r.round() + " to be sent", TRAFFIC, () -> c.sentAll(r));
            handedOver = handedOver
                    || c.metrics(oldHost).getOrDefault("andromeda_host_handovers_total", 0L) > handoversBefore;
            if (converged < 0 && c.converged()) {
                converged = (System.nanoTime() - t0) / 1e9;
            }
        } while (!(handedOver && converged >= 0) && System.nanoTime() < deadline && during.size() < 200);
        ClusterRun.Score s = null;
        for (ClusterRun.Round r : during) {
            ClusterRun.Score one = c.awaitTraffic(r, TRAFFIC);
            s = s == null ? one : s.plus(one);
        }
        long hairpinned = c.metrics(oldHost).getOrDefault("andromeda_host_hairpinned_total", 0L) - hairpinnedBefore;
        ClusterRun.Score after = c.traffic(TRAFFIC);
        return result("migrate-vm", -1, handedOver ? converged : -1, s.plus(after), hairpinned, "VM " + vm.id()
                + " moved host-" + from + " -> host-" + to + " (desired state v" + stored + "); " + during.size()
                + " rounds until " + oldHost + " handed it over and every host ran the new program (" + toVm
                + " packets a round to it; " + hairpinned + " hairpinned by " + oldHost + "), then one with it sending"
                + " from host-" + to + (handedOver ? "" : " -- " + oldHost + " never handed it over"));
    }

    // ------------------------------------------------------------------------------ measurements

    /** A host's drop counters by reason (datapath and UDP port), to say where lost packets went. */
    private static Map<String, Long> drops(Map<String, Long> m) {
        Map<String, Long> d = new java.util.TreeMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("andromeda_host_drops_total") || k.startsWith("andromeda_udp_dropped_total")
                    || k.startsWith("andromeda_udp_no_peer_total")) {
                d.put(k.replace("andromeda_", "").replace("_total", ""), v);
            }
        });
        return d;
    }

    /** The drops counted during the fault, host by host; empty when none. A restarted host counts from zero. */
    private String dropsDuring() {
        List<String> out = new ArrayList<>();
        for (String h : c.hosts()) {
            Map<String, Long> now = drops(c.metrics(h));
            Map<String, Long> before = dropsBefore.getOrDefault(h, Map.of());
            now.forEach((k, v) -> {
                long d = v - before.getOrDefault(k, 0L);
                if (d < 0) {
                    d = v; // restarted: its counters began again
                }
                if (d > 0) {
                    out.add(h + " " + k + "=" + d);
                }
            });
        }
        return String.join(", ", out);
    }

    private List<String> zookeepers() {
        return c.procs().values().stream().filter(p -> p.kind().equals("zk")).map(ClusterRun.Proc::name).toList();
    }

    private String requireMaster() throws InterruptedException {
        ClusterRun.await("a master", Duration.ofSeconds(30), () -> c.master() != null);
        return c.master();
    }

    private double awaitNewMaster(String old, long t0) throws InterruptedException {
        ClusterRun.await("a master other than " + old, Duration.ofSeconds(60), () -> {
            String m = c.master();
            return m != null && !m.equals(old);
        });
        return (System.nanoTime() - t0) / 1e9;
    }

    private double awaitMaster(long t0) throws InterruptedException {
        ClusterRun.await("a master", Duration.ofSeconds(60), () -> c.master() != null);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Stores the next desired version and waits until every live host runs its program; seconds since t0, or -1. */
    private double applyAndConverge(long t0) throws Exception {
        long next = c.storedVersion() + 1;
        ClusterRun.await("ZooKeeper to store desired state v" + next, Duration.ofSeconds(30), () -> {
            try {
                return c.applyScenario(next);
            } catch (Exception e) {
                return false;
            }
        });
        try {
            c.awaitConverged("every host on the program of desired state v" + next, CONVERGE);
        } catch (IllegalStateException timedOut) {
            say.accept("  " + timedOut.getMessage());
            return -1;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private Result result(String fault, double elected, double converged, ClusterRun.Score s, String note) {
        return result(fault, elected, converged, s, -1, note);
    }

    private Result result(String fault, double elected, double converged, ClusterRun.Score s, long hairpinned,
                          String note) {
        long doubled = 0;
        long deposedAccepted = 0;
        long refused = 0;
        for (String h : c.hosts()) {
            Map<String, Long> m = c.metrics(h);
            refused += m.getOrDefault("andromeda_host_deposed_writes_refused_total", 0L) - refusedBefore.getOrDefault(h, 0L);
            for (String k : m.keySet()) {
                if (!k.startsWith("andromeda_host_accepted_count{history=\"")) {
                    continue;
                }
                String hist = k.substring(k.indexOf('"') + 1, k.lastIndexOf('"'));
                Set<Long> versions = new HashSet<>();
                long maxEpoch = 0;
                for (String ve : hist.isBlank() ? new String[0] : hist.split(" ")) {
                    long v = Long.parseLong(ve.substring(0, ve.indexOf('@')));
                    long e = Long.parseLong(ve.substring(ve.indexOf('@') + 1));
                    if (!versions.add(v)) {
                        doubled++;
                    }
                    if (e < maxEpoch) {
                        deposedAccepted++; // accepted from an epoch below one it had already accepted
                    }
                    maxEpoch = Math.max(maxEpoch, e);
                }
            }
        }
        long lost = Math.max(0, s.lost());
        if (lost > 0 || !s.clean()) {
            String d = dropsDuring();
            note += "; drops counted meanwhile: " + (d.isEmpty() ? "none (lost outside the counted paths)" : d);
        }
        Result r = new Result(fault, elected, converged, lost, converged < 0 ? 1 : 0, doubled, deposedAccepted,
                refused, s, hairpinned, note);
        say.accept(String.format(Locale.ROOT, "  %s: %s", fault, r.survived() ? "survived" : "NOT survived") + " -- "
                + note);
        return r;
    }

    /**
     * The table of results, one line a fault, with its legend: the table is 76 columns wide so it
     * fits an 80-column terminal or log; the legend is wrapped to the terminal ({@code COLUMNS}, else
     * 80). Notes and every field stay whole in {@link Result#json()}.
     */
    public static String table(List<Result> results) {
        return table(results, dev.andromeda.testbed.tb.report.TerminalWidth.get());
    }

    /** The table at {@code width} columns (the legend's; the rows need 76). */
    static String table(List<Result> results, int width) {
        String row = "%-22s %6s %6s %5s %4s %4s %4s %4s %5s  %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-22s %6s %6s %5s %4s %4s %9s %5s", "", "master", "conv.", "", "upd",
                "upd", "deposed", "hair-"));
        lines.add(String.format(Locale.ROOT, row, "fault", "s", "s", "lost", "lost", "x2", "acc", "ref", "pin",
                "verdict"));
        for (Result r : results) {
            lines.add(String.format(Locale.ROOT, row, r.fault(),
                    r.newMasterSeconds() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.newMasterSeconds()),
                    r.convergedSeconds() < 0 ? "never" : String.format(Locale.ROOT, "%.2f", r.convergedSeconds()),
                    r.lostOnProgrammedFlows(), r.updatesLost(), r.updatesDoubled(), r.deposedWritesAccepted(),
                    r.deposedWritesRefused(), r.hairpinned() < 0 ? "-" : Long.toString(r.hairpinned()),
                    r.survived() ? "ok" : "FAILED").stripTrailing());
        }
        lines.add("");
        lines.addAll(dev.andromeda.testbed.tb.report.TerminalWidth.wrap(LEGEND, width, 0));
        return String.join("\n", lines);
    }

    /** What the columns count (the names in --json in brackets). */
    static final String LEGEND = "master s: seconds until a new master (newMasterSeconds); conv. s: until every host"
            + " runs the newest desired state (convergedSeconds); lost: packets lost on programmed flows; upd lost,"
            + " upd x2: updates lost, applied twice; deposed acc, ref: a deposed master's programs that hosts"
            + " accepted (deposedWritesAccepted), refused by their epoch floor (deposedWritesRefused); hair-pin:"
            + " packets the old host of a moved VM hairpinned to the new one.";
}
