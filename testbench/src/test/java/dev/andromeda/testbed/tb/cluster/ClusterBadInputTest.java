package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.tb.Unwrap;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.tb.Tb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator gets from the long-running commands when the input is wrong: one line naming
 * the problem, a non-zero exit, and no waiting first. The ZooKeeper address 127.0.0.1:1 never
 * answers, so a command that tried ZooKeeper before checking its own input would hang in its retry
 * loop (hosts and controllers retry every 2 s, forever) and trip the test's timeout.
 */
@Timeout(60)
class ClusterBadInputTest {
    private static final String NO_ZK = "127.0.0.1:1";

    /** One run of tb in this JVM: exit code, stdout, stderr. */
    record Run(int code, String out, String err) {
        /** The error output is one line starting "tb: ", with no stack trace. */
        String oneLine() {
            String e = Unwrap.of(err).strip();
            assertThat(e).as("stderr: %s", err).startsWith("tb: ").doesNotContain("\n").doesNotContain("Exception");
            return e;
        }
    }

    static Run tb(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            picocli.CommandLine cl = Tb.commandLine();
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new Run(code, buf.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void aHostWhoseUdpPortIsTakenSaysSoBeforeTryingZooKeeper(@TempDir Path dir) throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            Run r = tb("host", "--zk", NO_ZK, "--name", "host-1", "--data-dir", dir.resolve("h1").toString(),
                    "--udp", "127.0.0.1:" + port);
            assertThat(r.code()).as("%s", r).isNotZero();
            assertThat(r.oneLine()).contains("cannot bind the UDP port 127.0.0.1:" + port);
        }
    }

    @Test
    void aHostWithABadNameIsRefused(@TempDir Path dir) {
        Run r = tb("host", "--zk", NO_ZK, "--name", "gateway", "--data-dir", dir.toString(), "--udp", "127.0.0.1:0");
        assertThat(r.code()).isNotZero();
        assertThat(r.oneLine()).contains("--name must be host-N");
    }

    @Test
    void aControllerWhosePortIsTakenSaysSoBeforeTryingZooKeeper() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run r = tb("vmc", "--zk", NO_ZK, "--name", "vmc1", "--listen", "127.0.0.1:" + port);
            assertThat(r.code()).as("%s", r).isNotZero();
            assertThat(r.oneLine()).contains("cannot listen on 127.0.0.1:" + port);
        }
    }

    @Test
    void aControllerWhoseHttpPortIsTakenSaysSoBeforeTryingZooKeeper() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run r = tb("vmc", "--zk", NO_ZK, "--name", "vmc1", "--http", "127.0.0.1:" + port);
            assertThat(r.code()).as("%s", r).isNotZero();
            assertThat(r.oneLine()).contains("cannot listen on 127.0.0.1:" + port + " (--http)").contains("in use");
        }
    }

    @Test
    void aHostWhoseHttpPortIsTakenSaysSoBeforeTryingZooKeeper(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run r = tb("host", "--zk", NO_ZK, "--name", "host-1", "--data-dir", dir.resolve("h1").toString(),
                    "--udp", "127.0.0.1:0", "--http", "127.0.0.1:" + port);
            assertThat(r.code()).as("%s", r).isNotZero();
            assertThat(r.oneLine()).contains("cannot listen on 127.0.0.1:" + port + " (--http)").contains("in use");
        }
    }

    @Test
    void aZooKeeperServerWhoseClientPortIsTakenSaysSo(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run r = tb("zk", "--data-dir", dir.resolve("zk1").toString(), "--client", "127.0.0.1:" + port);
            assertThat(r.code()).as("%s", r).isNotZero();
            assertThat(r.oneLine()).contains("cannot listen on 127.0.0.1:" + port + " (--client)").contains("in use");
        }
    }

    @Test
    void anEnsembleMemberWhoseQuorumOrElectionPortIsTakenSaysSo(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket client = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            int free = client.getLocalPort();
            client.close(); // a free port for --client, so only the peer port is in the way
            Run quorum = tb("zk", "--data-dir", dir.resolve("zk1").toString(), "--client", "127.0.0.1:" + free,
                    "--id", "1", "--peers", "1=127.0.0.1:" + port + ":0,2=127.0.0.1:1:2");
            assertThat(quorum.code()).as("%s", quorum).isNotZero();
            assertThat(quorum.oneLine()).contains("cannot listen on 127.0.0.1:" + port + " (--peers quorum port of server 1)")
                    .contains("in use");
            Run election = tb("zk", "--data-dir", dir.resolve("zk2").toString(), "--client", "127.0.0.1:" + free,
                    "--id", "2", "--peers", "1=127.0.0.1:1:2,2=127.0.0.1:0:" + port);
            assertThat(election.code()).as("%s", election).isNotZero();
            assertThat(election.oneLine()).contains("cannot listen on 127.0.0.1:" + port
                    + " (--peers election port of server 2)").contains("in use");
        }
    }

    @Test
    void aStateFileThatIsNotYamlIsRefusedWithFileAndLineBeforeZooKeeper(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.yaml");
        Files.writeString(bad, "name: broken\nhosts: [2\nvmsPerHost: 2\n");
        Run r = tb("netctl", "--zk", NO_ZK, "apply", bad.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.oneLine()).contains("broken.yaml:").doesNotContain("ZooKeeper");
    }

    @Test
    void aMissingStateFileIsRefusedInOneLineBeforeZooKeeper(@TempDir Path dir) {
        Path none = dir.resolve("none.yaml");
        Run r = tb("netctl", "--zk", NO_ZK, "apply", none.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.oneLine()).contains("none.yaml").doesNotContain("ZooKeeper");
    }

    @Test
    void aControllerAndAHostWithoutZooKeeperSayItOnOneLineAndKeepRetryingUntilStopped(@TempDir Path dir)
            throws Exception {
        // Real processes, as an operator starts them: the line must come within the connection timeout
        // (3 s) and a JVM start, with no stack trace; SIGTERM (by pid) then stops each.
        List<List<String>> commands = List.of(
                List.of("vmc", "--zk", NO_ZK, "--name", "vmc-1"),
                List.of("host", "--zk", NO_ZK, "--name", "host-1", "--data-dir", dir.resolve("h1").toString(),
                        "--udp", "127.0.0.1:0"));
        List<Process> started = new ArrayList<>();
        List<List<String>> outputs = new ArrayList<>();
        try {
            for (List<String> args : commands) {
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                        "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                        "dev.andromeda.testbed.tb.Tb"));
                cmd.addAll(args);
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                started.add(p);
                List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
                outputs.add(lines);
                Thread.ofPlatform().daemon().start(() -> {
                    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        for (String l; (l = in.readLine()) != null; ) {
                            lines.add(l);
                        }
                    } catch (java.io.IOException ended) {
                        // the process is gone
                    }
                });
            }
            for (int i = 0; i < started.size(); i++) {
                List<String> lines = outputs.get(i);
                ClusterRun.await(commands.get(i).getFirst() + " to say ZooKeeper is not reachable (said: " + lines + ")",
                        Duration.ofSeconds(30), () -> lines.stream().anyMatch(
                                l -> l.contains("ZooKeeper at " + NO_ZK + " not reachable within 3 s; retrying")));
                assertThat(started.get(i).isAlive()).as("%s retries: %s", commands.get(i), lines).isTrue();
            }
            for (int i = 0; i < started.size(); i++) {
                Process p = started.get(i);
                ProcessHandle.of(p.pid()).orElseThrow().destroy(); // SIGTERM
                assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("%s stopped", commands.get(i))
                        .isTrue();
                List<String> lines = outputs.get(i);
                assertThat(lines).as("%s", commands.get(i)).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
                assertThat(lines.stream().filter(l -> l.contains("not reachable")).count())
                        .as("one line, not one per attempt: %s", lines).isEqualTo(1);
                assertThat(lines).as("%s", commands.get(i)).anyMatch(l -> l.contains("SIGTERM"));
            }
        } finally {
            for (Process p : started) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void anEnsembleMemberWhosePeersAreDownLogsZooKeepersStackTracesToItsDataDirNotTheTerminal(@TempDir Path dir)
            throws Exception {
        // Member 1 of 3, the other two never started: ZooKeeper warns, with a stack trace, at every
        // election round that it cannot open a channel to them.
        int[] ports = new int[7];
        for (int i = 0; i < ports.length; i++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                ports[i] = s.getLocalPort();
            }
        }
        String peers = "1=127.0.0.1:" + ports[1] + ":" + ports[2] + ",2=127.0.0.1:" + ports[3] + ":" + ports[4]
                + ",3=127.0.0.1:" + ports[5] + ":" + ports[6];
        Path data = dir.resolve("zk1");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.andromeda.testbed.tb.Tb",
                "zk", "--data-dir", data.toString(), "--client", "127.0.0.1:" + ports[0], "--id", "1", "--peers", peers));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException ended) {
                // the process is gone
            }
        });
        try {
            Path log = data.resolve("zookeeper.log");
            ClusterRun.await("ZooKeeper to log, in its data directory, that it cannot reach member 2",
                    Duration.ofSeconds(30), () -> {
                        try {
                            return Files.exists(log) && Files.readString(log).contains("Cannot open channel to 2");
                        } catch (java.io.IOException notYet) {
                            return false;
                        }
                    });
            assertThat(Files.readString(log)).contains("\tat ");
        } finally {
            ProcessHandle.of(p.pid()).orElseThrow().destroy(); // SIGTERM, by pid
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            reader.join(5_000);
        }
        // Everything the process wrote to its terminal, up to its end.
        assertThat(lines).as("terminal").anyMatch(l -> l.startsWith("tb zk: member 1 of 3"))
                .noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception"));
    }

    @Test
    void aMalformedStateFileIsRefusedWithFileAndLineBeforeZooKeeper(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: broken\nhosts: 2\npackts: 5\n");
        Run r = tb("netctl", "--zk", NO_ZK, "apply", bad.toString());
        assertThat(r.code()).isNotZero();
        // The file's own line, not the unreachable ZooKeeper: the file is checked first.
        assertThat(r.oneLine()).contains("bad.yaml:3").contains("packts").doesNotContain("ZooKeeper");
    }

    /** tb host does not report flow misses: an on-demand state is refused, not run on the hoverboards for ever. */
    @Test
    void anOnDemandStateIsRefusedBeforeZooKeeper(@TempDir Path dir) throws Exception {
        String cluster;
        try (var in = ClusterBadInputTest.class.getResourceAsStream("/scenarios/cluster.yaml")) {
            cluster = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Path file = Files.writeString(dir.resolve("od.yaml"), cluster.replace("model: hoverboard", "model: on-demand"));
        Run r = tb("netctl", "--zk", NO_ZK, "apply", file.toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.oneLine()).contains("od.yaml: model on-demand runs in tb demo only").doesNotContain("ZooKeeper");
    }

    @Test
    void anUnreachableZooKeeperIsOneLineNamingIt() {
        Run r = tb("netctl", "--zk", NO_ZK, "show");
        assertThat(r.code()).isNotZero();
        assertThat(r.oneLine()).contains("ZooKeeper at " + NO_ZK + " not reachable").contains("--zk");
    }

    @Test
    void migratingAnUnknownVmOrToAnUnknownHostIsRefusedAndChangesNothing(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("default.yaml");
        try (InputStream in = getClass().getResourceAsStream("/scenarios/default.yaml")) {
            Files.write(state, in.readAllBytes());
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"))) {
            String at = zk.connectString();
            Run none = tb("netctl", "--zk", at, "migrate", "1", "host-2");
            assertThat(none.code()).isNotZero();
            assertThat(none.oneLine()).contains("no desired state to migrate in");

            assertThat(tb("netctl", "--zk", at, "apply", state.toString()).code()).isZero();
            Run vm = tb("netctl", "--zk", at, "migrate", "999999", "host-2");
            assertThat(vm.code()).isNotZero();
            assertThat(vm.oneLine()).contains("no VM '999999'");
            dev.andromeda.testbed.control.model.Vm first = new DesiredState(1, Files.readString(state), java.util.Map.of())
                    .topology().state().vms().iterator().next();
            String id = Integer.toString(first.id());
            Run host = tb("netctl", "--zk", at, "migrate", id, "host-99");
            assertThat(host.code()).isNotZero();
            assertThat(host.oneLine()).contains("no VM host host-99");
            Run same = tb("netctl", "--zk", at, "migrate", id, "host-" + first.hostId());
            assertThat(same.code()).isNotZero();
            assertThat(same.oneLine()).contains("already runs on host-" + first.hostId());
            Run notANumber = tb("netctl", "--zk", at, "migrate", "vm-one", "host-2");
            assertThat(notANumber.code()).isNotZero();
            assertThat(notANumber.oneLine()).contains("vm-one");
            Run word = tb("netctl", "--zk", at, "migrate", id, "gateway");
            assertThat(word.code()).isNotZero();
            assertThat(word.err()).doesNotContain("Exception");

            Run show = tb("netctl", "--zk", at, "show");
            assertThat(show.code()).isZero();
            assertThat(show.out()).contains("desired state version 1").doesNotContain("moved to");
        }
    }
}
