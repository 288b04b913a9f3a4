package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.tb.demo.DemoTopology;
import org.apache.curator.framework.CuratorFramework;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A whole testbed as separate processes on one machine: a ZooKeeper ensemble, VM controllers and
 * hosts (with hoverboards), each started as its own JVM ({@code tb zk}, {@code tb vmc},
 * {@code tb host}) with its log under {@code dir/logs}, every pid in {@code dir/cluster.properties}
 * so that a later {@code tb cluster status|faults|down} finds them. Used by {@code tb cluster} and
 * by the suite's multi-process test; waits are bounded and say what they waited for.
 */
public final class ClusterRun {
    /** How a cluster is laid out. */
    public record Shape(int zookeepers, int controllers, int basePort, String scenarioYaml, String scenarioName) {
    }

    /** One started process. */
    public record Proc(String name, String kind, List<String> args, long pid, Path log, int httpPort, int clientPort) {
    }

    /** What one traffic round delivered, summed over the hosts. */
    public record Score(long sent, long expected, long delivered, long duplicates, long misdelivered, long mismatches) {
        public long lost() {
            return expected - delivered;
        }

        public boolean clean() {
            return lost() == 0 && duplicates == 0 && misdelivered == 0 && mismatches == 0;
        }

        /** Two rounds' scores together. */
        public Score plus(Score o) {
            return new Score(sent + o.sent, expected + o.expected, delivered + o.delivered, duplicates + o.duplicates,
                    misdelivered + o.misdelivered, mismatches + o.mismatches);
        }
    }

    private final Path dir;
    private final Consumer<String> say;
    private final Map<String, Proc> procs = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Shape shape;
    private DemoTopology topology;
    /** The VMs moved by {@link #migrate} (VM id to host id): where the scoreboard expects them to send from. */
    private Map<Integer, Integer> moves = Map.of();
    private int round;

    private ClusterRun(Path dir, Consumer<String> say) {
        this.dir = dir.toAbsolutePath();
        this.say = say;
    }

    public Path dir() {
        return dir;
    }

    public Map<String, Proc> procs() {
        return procs;
    }

    public DemoTopology topology() {
        return topology;
    }

    public String zkConnect() {
        StringBuilder b = new StringBuilder();
        for (Proc p : procs.values()) {
            if (p.kind().equals("zk")) {
                b.append(b.isEmpty() ? "" : ",").append("127.0.0.1:").append(p.clientPort());
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------ up and down

    /**
     * Starts a cluster in {@code dir}: the ensemble, the desired state, the controllers, the hosts;
     * returns once a master programs every host.
     *
     * @throws IllegalStateException when a cluster of {@code dir} still runs, a port is taken, or a
     *                               process does not come up in time (its log named)
     */
    public static ClusterRun up(Path dir, Shape shape, Consumer<String> say) throws Exception {
        ClusterRun c = new ClusterRun(dir, say);
        if (Files.exists(c.layoutFile())) {
            ClusterRun old = attach(dir, say);
            if (old.procs.values().stream().anyMatch(p -> ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive)
                    .orElse(false))) {
                throw new IllegalStateException("a cluster started in " + dir + " still runs (tb cluster down first)");
            }
        }
        c.shape = shape;
        c.topology = new DesiredState(1, shape.scenarioYaml(), Map.of()).topology();
        int hosts = c.topology.hostCount();
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= shape.zookeepers(); i++) {
            ports.addAll(List.of(shape.basePort() + 10 + i, shape.basePort() + 20 + i, shape.basePort() + 30 + i));
        }
        for (int i = 1; i <= shape.controllers(); i++) {
            ports.addAll(List.of(shape.basePort() + 100 + 10 * i, shape.basePort() + 200 + i));
        }
        for (int i = 1; i <= hosts; i++) {
            ports.addAll(List.of(shape.basePort() + 300 + i, shape.basePort() + 400 + i));
        }
        for (int port : ports) {
            requireFree(port);
        }
        Files.createDirectories(c.dir.resolve("logs"));
        deleteTree(c.dir.resolve("data"));
        try {
            c.startEnsemble();
            c.applyScenario(1);
            for (int i = 1; i <= shape.controllers(); i++) {
                c.startController(i);
            }
            for (int id = 1; id <= hosts; id++) {
                c.startHost(id);
            }
            c.awaitConverged("the hosts to run the master's program", Duration.ofSeconds(90));
        } catch (Exception | Error e) {
            c.down(); // nothing left running from a cluster that did not come up
            throw e;
        }
        c.save();
        return c;
    }

    /** The cluster of {@code dir}, as its layout file records it. */
    public static ClusterRun attach(Path dir, Consumer<String> say) throws IOException {
        ClusterRun c = new ClusterRun(dir, say);
        if (!Files.exists(c.layoutFile())) {
            throw new IllegalStateException("no cluster in " + c.dir + " (tb cluster up starts one)");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(c.layoutFile())) {
            p.load(in);
        }
        c.shape = new Shape(Integer.parseInt(p.getProperty("zookeepers")), Integer.parseInt(p.getProperty("controllers")),
                Integer.parseInt(p.getProperty("basePort")), p.getProperty("scenarioYaml"), p.getProperty("scenarioName"));
        c.moves = DesiredState.parseMoves(p.getProperty("moves", ""));
        c.topology = new DesiredState(1, c.shape.scenarioYaml(), c.moves).topology();
        c.round = Integer.parseInt(p.getProperty("round", "0"));
        for (String key : p.stringPropertyNames().stream().sorted().toList()) {
            if (key.startsWith("proc.")) {
                String[] f = p.getProperty(key).split("\t");
                c.procs.put(key.substring(5), new Proc(key.substring(5), f[0], List.of(f).subList(5, f.length),
                        Long.parseLong(f[1]), Path.of(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4])));
            }
        }
        return c;
    }

    private Path layoutFile() {
        return dir.resolve("cluster.properties");
    }

    private void save() throws IOException {
        Properties p = new Properties();
        p.setProperty("zookeepers", Integer.toString(shape.zookeepers()));
        p.setProperty("controllers", Integer.toString(shape.controllers()));
        p.setProperty("basePort", Integer.toString(shape.basePort()));
        p.setProperty("scenarioYaml", shape.scenarioYaml());
        p.setProperty("scenarioName", shape.scenarioName());
        p.setProperty("round", Integer.toString(round));
        p.setProperty("moves", DesiredState.formatMoves(moves));
        int order = 0;
        for (Proc x : procs.values()) {
            p.setProperty("proc." + x.name(), String.join("\t", x.kind(), Long.toString(x.pid()), x.log().toString(),
                    Integer.toString(x.httpPort()), Integer.toString(x.clientPort())) + "\t" + String.join("\t", x.args()));
            order++;
        }
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(layoutFile())) {
            p.store(out, "tb cluster: " + order + " processes");
        }
    }

    /** Stops every process (SIGTERM, then SIGKILL after 10 s) and says which. */
    public List<String> down() throws IOException {
        List<String> stopped = new ArrayList<>();
        List<Proc> reversed = new ArrayList<>(procs.values()); // hosts, controllers, then ZooKeeper
        reversed.sort(java.util.Comparator.comparingInt(p -> List.of("host", "vmc", "zk").indexOf(p.kind())));
        for (Proc p : reversed) {
            ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive).ifPresent(h -> {
                h.destroy();
                stopped.add(p.name() + " (pid " + p.pid() + ")");
            });
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (Proc p : reversed) {
            ProcessHandle.of(p.pid()).ifPresent(h -> {
                while (h.isAlive() && System.nanoTime() < deadline) {
                    try {
                        h.onExit().get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } catch (Exception notYet) {
                        // keep waiting until the deadline
                    }
                }
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            });
        }
        Files.deleteIfExists(layoutFile());
        return stopped;
    }

    // ------------------------------------------------------------------------------ processes

    private void startEnsemble() throws Exception {
        int n = shape.zookeepers();
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            peers.add(i + "=127.0.0.1:" + (shape.basePort() + 20 + i) + ":" + (shape.basePort() + 30 + i));
        }
        for (int i = 1; i <= n; i++) {
            List<String> args = new ArrayList<>(List.of("zk", "--data-dir", dir.resolve("data/zk" + i).toString(),
                    "--client", "127.0.0.1:" + (shape.basePort() + 10 + i)));
            if (n > 1) {
                args.addAll(List.of("--id", Integer.toString(i), "--peers", String.join(",", peers)));
            }
            spawn("zk" + i, "zk", args, 0, shape.basePort() + 10 + i);
        }
        awaitQuorum(Duration.ofSeconds(60));
    }

    /** Waits until a majority of the ensemble serves (leader or follower, or standalone). */
    public void awaitQuorum(Duration within) throws InterruptedException {
        await("a ZooKeeper quorum (" + zkConnect() + ")", within, () -> {
            int serving = 0;
            for (Proc p : procs.values()) {
                if (p.kind().equals("zk")) {
                    String mode = zkMode(p.clientPort());
                    if (mode.equals("leader") || mode.equals("follower") || mode.equals("standalone")) {
                        serving++;
                    }
                }
            }
            return serving > shape.zookeepers() / 2;
        });
    }

    void startController(int i) throws IOException {
        spawn("vmc" + i, "vmc", List.of("vmc", "--zk", zkConnect(), "--name", "vmc-" + i,
                "--listen", "127.0.0.1:" + (shape.basePort() + 100 + 10 * i),
                "--http", "127.0.0.1:" + (shape.basePort() + 200 + i)), shape.basePort() + 200 + i, 0);
    }

    void startHost(int id) throws IOException {
        List<String> args = new ArrayList<>(List.of("host", "--zk", zkConnect(), "--name", "host-" + id,
                "--data-dir", dir.resolve("data/host-" + id).toString(),
                "--udp", "127.0.0.1:" + (shape.basePort() + 300 + id),
                "--http", "127.0.0.1:" + (shape.basePort() + 400 + id)));
        if (topology.isHoverboard(id)) {
            args.add("--hoverboard");
        }
        spawn("host-" + id, "host", args, shape.basePort() + 400 + id, 0);
    }

    /** Starts a process again with the arguments it was started with (its data kept). */
    public void restart(String name) throws IOException {
        Proc p = procs.get(name);
        spawn(p.name(), p.kind(), p.args(), p.httpPort(), p.clientPort());
        save();
    }

    private void spawn(String name, String kind, List<String> args, int httpPort, int clientPort) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "dev.andromeda.testbed.tb.Tb"));
        cmd.addAll(args);
        Path log = dir.resolve("logs/" + name + ".log");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = b.start();
        procs.put(name, new Proc(name, kind, List.copyOf(args), p.pid(), log, httpPort, clientPort));
        say.accept("started " + name + " (pid " + p.pid() + ")");
    }

    /** Sends SIGKILL, SIGSTOP or SIGCONT to a process. */
    public void signal(String name, String signal) throws IOException, InterruptedException {
        Proc p = procs.get(name);
        if (signal.equals("KILL")) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            await(name + " to die", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(p.pid()).map(h -> !h.isAlive()).orElse(true));
            return;
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
        }
    }

    public boolean alive(String name) {
        return ProcessHandle.of(procs.get(name).pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    // ------------------------------------------------------------------------------ observing

    /** {@code srvr}'s Mode (leader, follower, standalone), or "down". */
    public static String zkMode(int clientPort) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", clientPort), 500);
            s.setSoTimeout(1000);
            s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            String out = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : out.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring(6).strip();
                }
            }
            return out.contains("not currently serving") ? "not serving" : "unknown";
        } catch (IOException e) {
            return "down";
        }
    }

    /** A process's metrics as {@code name{labels}} to value, or empty when it does not answer. */
    public Map<String, Long> metrics(String name) {
        Proc p = procs.get(name);
        Map<String, Long> m = new LinkedHashMap<>();
        String body = get(p.httpPort(), "/metrics");
        if (body == null) {
            return m;
        }
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            try {
                m.put(line.substring(0, sp), Long.parseLong(line.substring(sp + 1)));
            } catch (NumberFormatException ignored) {
                // not ours
            }
        }
        return m;
    }

    String get(int port, String path) {
        return call(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    String post(int port, String path) {
        return call(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String call(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The controller that masters partition 0 now (by its metrics), or null. */
    public String master() {
        for (Proc p : procs.values()) {
            if (p.kind().equals("vmc") && alive(p.name())
                    && metrics(p.name()).getOrDefault("andromeda_vmc_master{partition=\"0\"}", 0L) == 1) {
                return p.name();
            }
        }
        return null;
    }

    /** The program version the current master serves, or -1. */
    public long masterVersion() {
        String m = master();
        return m == null ? -1 : metrics(m).getOrDefault("andromeda_vmc_program_version{partition=\"0\"}", -1L);
    }

    public long hostVersion(String host) {
        return metrics(host).getOrDefault("andromeda_host_program_version", -1L);
    }

    public List<String> hosts() {
        return procs.values().stream().filter(p -> p.kind().equals("host")).map(Proc::name).toList();
    }

    /** Waits until a master serves a version every live host runs, and it took the newest desired state. */
    public void awaitConverged(String what, Duration within) throws InterruptedException {
        await(what, within, this::converged);
    }

    /** Whether a master serves a version every live host runs, and it took the newest desired state. */
    public boolean converged() {
        String m = master();
        if (m == null) {
            return false;
        }
        Map<String, Long> mm = metrics(m);
        long v = mm.getOrDefault("andromeda_vmc_program_version{partition=\"0\"}", -1L);
        long desired = mm.getOrDefault("andromeda_vmc_desired_state_version", -1L);
        if (v < 0 || desired != desiredVersion()) {
            return false;
        }
        for (String h : hosts()) {
            if (alive(h) && hostVersion(h) != v) {
                return false;
            }
        }
        return true;
    }

    private long desiredSeen = -1;

    private long desiredVersion() {
        if (desiredSeen < 0) {
            try {
                storedVersion();
            } catch (Exception noQuorum) {
                return -1;
            }
        }
        return desiredSeen;
    }

    /** Stores the cluster's scenario as desired state {@code version}; returns false without a quorum. */
    public boolean applyScenario(long version) throws Exception {
        try (CuratorFramework zk = PartitionElection.newClient(zkConnect(),
                new PartitionElection.Timeouts(Duration.ofSeconds(6), Duration.ofSeconds(3)))) {
            ClusterZk.Stored s = ClusterZk.readDesired(zk);
            DesiredState next = new DesiredState(version, shape.scenarioYaml(), s == null ? Map.of() : s.state().moves());
            if (!ClusterZk.compareAndSet(zk, s, next)) {
                return false;
            }
            desiredSeen = version;
            return true;
        } catch (IllegalStateException noQuorum) {
            return false;
        }
    }

    /** The newest desired-state version stored, read from ZooKeeper. */
    public long storedVersion() throws Exception {
        try (CuratorFramework zk = PartitionElection.newClient(zkConnect(),
                new PartitionElection.Timeouts(Duration.ofSeconds(6), Duration.ofSeconds(3)))) {
            ClusterZk.Stored s = ClusterZk.readDesired(zk);
            desiredSeen = s == null ? 0 : s.state().version();
            return desiredSeen;
        }
    }

    /** The published master's epoch (partition 0), or -1. */
    public long publishedEpoch() {
        try (CuratorFramework zk = PartitionElection.newClient(zkConnect(),
                new PartitionElection.Timeouts(Duration.ofSeconds(6), Duration.ofSeconds(3)))) {
            VmcNode.Master m = VmcNode.publishedMaster(zk, 0);
            return m == null ? -1 : m.epoch();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------ traffic

    /**
     * Stores desired state with VM {@code vmId} moved to host {@code hostId} (as {@code tb netctl
     * migrate} does); returns false without a quorum or when another writer came first.
     */
    public boolean migrate(int vmId, int hostId) throws Exception {
        try (CuratorFramework zk = PartitionElection.newClient(zkConnect(),
                new PartitionElection.Timeouts(Duration.ofSeconds(6), Duration.ofSeconds(3)))) {
            ClusterZk.Stored s = ClusterZk.readDesired(zk);
            if (s == null) {
                return false;
            }
            DesiredState next = s.state().withMove(vmId, hostId);
            if (!ClusterZk.compareAndSet(zk, s, next)) {
                return false;
            }
            desiredSeen = next.version();
            moves = next.moves();
            topology = new DesiredState(1, shape.scenarioYaml(), moves).topology();
            save();
            return true;
        } catch (IllegalStateException noQuorum) {
            return false;
        }
    }

    /**
     * Sends the scenario's traffic once more from every live VM host (a new round, so ids never
     * repeat) and waits until the live hosts delivered it, or {@code within} passed.
     */
    public Score traffic(Duration within) throws InterruptedException, IOException {
        return awaitTraffic(startTraffic(-1), within);
    }

    /** A round under way: its number, the hosts asked, and the VM whose own packets it leaves out (or -1). */
    public record Round(int round, List<String> live, int exceptVm) {
    }

    /**
     * Asks every live VM host to send a new round and returns at once. With {@code exceptVm} at
     * or above 0, that VM's own packets are left out (a VM being migrated is paused: what its
     * guest would send meanwhile is the guest's, not the network's); packets to it are sent.
     */
    public Round startTraffic(int exceptVm) throws IOException {
        int r = ++round;
        save();
        List<String> live = hosts().stream().filter(this::alive).toList();
        for (String h : live) {
            // A host just restarted may still be starting its JVM's HTTP side: asked again for up to 10 s.
            long until = System.nanoTime() + 10_000_000_000L;
            String took;
            while ((took = post(procs.get(h).httpPort(), "/traffic?round=" + r + "&except=" + exceptVm)) == null
                    && System.nanoTime() < until) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
            if (took == null) {
                throw new IllegalStateException(h + " did not take the traffic request (see " + procs.get(h).log() + ")");
            }
        }
        return new Round(r, live, exceptVm);
    }

    /** Whether the live hosts have sent every packet of the round (delivered or not). */
    public boolean sentAll(Round round) {
        Score s = score(round);
        return s.sent() >= s.expected();
    }

    /** Waits until the round's packets were delivered, or {@code within} passed; the score either way. */
    public Score awaitTraffic(Round round, Duration within) throws InterruptedException {
        Supplier<Score> score = () -> score(round);
        long deadline = System.nanoTime() + within.toNanos();
        Score s = score.get();
        while (System.nanoTime() < deadline && s.delivered() + s.mismatches() + s.misdelivered() < s.expected()) {
            Thread.sleep(50);
            s = score.get();
        }
        return s;
    }

    private Score score(Round round) {
        int r = round.round();
        List<String> live = round.live();
        List<String> replies = new ArrayList<>();
        for (String h : live) {
            String j = get(procs.get(h).httpPort(), "/received?round=" + r);
            if (j != null) {
                replies.add(j);
            }
        }
        // Expected: every packet of the plan between two live hosts (computed here, apart from the hosts).
        java.util.Set<Integer> up = new java.util.HashSet<>();
        for (String h : live) {
            up.add(Integer.parseInt(h.substring(5)));
        }
        long expected = 0;
        dev.andromeda.testbed.tb.demo.TrafficPlan plan = dev.andromeda.testbed.tb.demo.TrafficPlan.draw(topology);
        for (int i = 0; i < topology.scenario().control().intervals(); i++) {
            for (var k : plan.interval(i)) {
                if (up.contains(k.sender().vm().hostId()) && up.contains(k.receiver().vm().hostId())
                        && k.sender().vm().id() != round.exceptVm()) {
                    expected++;
                }
            }
        }
        return tally(replies, expected);
    }

    /**
     * One round's score from the hosts' {@code /received} replies: a packet counts as delivered
     * once, by its id, whichever host it reached; each further copy -- at the same host or at
     * another (a packet both delivered at a VM's old host and hairpinned to its new one) -- is a
     * duplicate. Summing the hosts' own {@code delivered} counts would count such a packet twice
     * and hide a loss elsewhere in the round.
     */
    static Score tally(List<String> replies, long expected) {
        long sent = 0, perHost = 0, dup = 0, mis = 0, mm = 0;
        java.util.BitSet all = new java.util.BitSet();
        for (String j : replies) {
            sent += field(j, "sent");
            dup += field(j, "duplicates");
            mis += field(j, "misdelivered");
            mm += field(j, "mismatches");
            java.util.BitSet here = java.util.BitSet.valueOf(java.util.Base64.getDecoder().decode(text(j, "ids")));
            perHost += here.cardinality();
            all.or(here);
        }
        long delivered = all.cardinality();
        return new Score(sent, expected, delivered, dup + perHost - delivered, mis, mm);
    }

    /** A string field of a flat JSON object ("" when absent). */
    static String text(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            return "";
        }
        int from = at + name.length() + 4;
        return json.substring(from, json.indexOf('"', from));
    }

    static long field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) {
            return 0;
        }
        int from = at + name.length() + 3;
        int to = from;
        while (to < json.length() && (Character.isDigit(json.charAt(to)) || json.charAt(to) == '-')) {
            to++;
        }
        return Long.parseLong(json.substring(from, to));
    }

    // ------------------------------------------------------------------------------ helpers

    /** Polls {@code ok} every 100 ms until {@code within}; fails naming {@code what}. */
    public static void await(String what, Duration within, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + within.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void requireFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use (another cluster? "
                    + "--base-port moves every port)");
        }
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("UDP port " + port + " on 127.0.0.1 is in use (--base-port moves every port)");
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
