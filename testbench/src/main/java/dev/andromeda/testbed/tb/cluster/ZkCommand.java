package dev.andromeda.testbed.tb.cluster;

import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tb zk}: an Apache ZooKeeper server (the one from Maven Central) in this JVM, standalone
 * or one member of an ensemble. It writes {@code zoo.cfg} (and {@code myid}) into its data
 * directory and runs ZooKeeper's own main loop until stopped.
 */
@Command(name = "zk", mixinStandardHelpOptions = true,
        description = {"Run a ZooKeeper server: standalone, or one member of an ensemble (--id, --peers).",
                "",
                "  tb zk --data-dir zk1 --client 127.0.0.1:2181",
                "  tb zk --data-dir zk1 --client 127.0.0.1:2181 --id 1 \\",
                "        --peers 1=127.0.0.1:2888:3888,2=127.0.0.1:2889:3889,3=127.0.0.1:2890:3890",
                "",
                "Health: ZooKeeper's four-letter words on the client port (echo ruok | nc HOST PORT; srvr,",
                "mntr). ZooKeeper's own warnings (with their stack traces, e.g. when a member dies) go to",
                "DATA_DIR/zookeeper.log, not the terminal. Stops on SIGTERM (the server closes its sessions",
                "and its log)."})
public final class ZkCommand implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "Snapshots and transaction log (created).")
    Path dataDir;

    @Option(names = "--client", defaultValue = "127.0.0.1:2181",
            description = "Client address HOST:PORT (default: ${DEFAULT-VALUE}).")
    String client;

    @Option(names = "--id", description = "This server's id in the ensemble (with --peers).")
    Integer id;

    @Option(names = "--peers", split = ",",
            description = "Every member as ID=HOST:QUORUM_PORT:ELECTION_PORT, comma-separated, this one included.")
    List<String> peers = new ArrayList<>();

    @Option(names = "--tick-ms", defaultValue = "500",
            description = "ZooKeeper's tick (default: ${DEFAULT-VALUE}); sessions may last 2..20 ticks.")
    int tickMs;

    @Override
    public Integer call() throws Exception {
        var address = Addresses.parse(client);
        Addresses.requireFree(address, "--client"); // ZooKeeper's own bind error names no address
        if ((id == null) != peers.isEmpty()) {
            throw new IllegalArgumentException("--id and --peers go together (an ensemble member), or neither (standalone)");
        }
        List<String> cfg = new ArrayList<>(List.of(
                "tickTime=" + tickMs,
                "initLimit=20",
                "syncLimit=10",
                "dataDir=" + dataDir.toAbsolutePath(),
                "clientPort=" + address.getPort(),
                "clientPortAddress=" + address.getHostString(),
                "admin.enableServer=false",
                "4lw.commands.whitelist=ruok,srvr,stat,mntr,conf",
                "maxClientCnxns=200"));
        if (id != null) {
            boolean self = false;
            for (String p : peers) {
                String[] kv = p.split("=", 2);
                if (kv.length != 2 || !kv[0].matches("\\d+") || kv[1].split(":").length != 3) {
                    throw new IllegalArgumentException("--peers: '" + p + "' is not ID=HOST:QUORUM_PORT:ELECTION_PORT");
                }
                if (Integer.parseInt(kv[0]) == id) {
                    // This member binds both: refused on one line now, not in ZooKeeper's quorum thread later.
                    String[] hp = kv[1].split(":");
                    Addresses.requireFree(Addresses.parse(hp[0] + ":" + hp[1]), "--peers quorum port of server " + id);
                    Addresses.requireFree(Addresses.parse(hp[0] + ":" + hp[2]), "--peers election port of server " + id);
                    self = true;
                }
                cfg.add("server." + kv[0] + "=" + kv[1]);
            }
            if (!self) {
                throw new IllegalArgumentException("--peers does not list this server's --id " + id);
            }
            cfg.add("standaloneEnabled=false");
            cfg.add("reconfigEnabled=false");
        }
        Files.createDirectories(dataDir);
        // ZooKeeper logs a warning with a stack trace each time it cannot reach a member (every
        // election round while one is down): into the data directory's log, so the operator's
        // terminal (or the process log of tb cluster) keeps one line per state change. Set before
        // the first ZooKeeper class makes its logger; an operator's own -D setting wins.
        if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
            System.setProperty("org.slf4j.simpleLogger.logFile", dataDir.toAbsolutePath().resolve("zookeeper.log")
                    .toString());
        }
        Path conf = dataDir.resolve("zoo.cfg");
        Files.write(conf, cfg);
        if (id != null) {
            Files.writeString(dataDir.resolve("myid"), id + "\n");
        }
        System.err.println("tb zk: " + (id == null ? "standalone" : "member " + id + " of " + peers.size())
                + ", clients at " + client + ", data in " + dataDir.toAbsolutePath() + ", ZooKeeper's log in "
                + System.getProperty("org.slf4j.simpleLogger.logFile"));
        QuorumPeerConfig qc = new QuorumPeerConfig();
        qc.parse(conf.toString());
        if (id == null) {
            ServerConfig sc = new ServerConfig();
            sc.readFrom(qc);
            new ZooKeeperServerMain().runFromConfig(sc); // returns when the server shuts down
        } else {
            new QuorumPeerMain().runFromConfig(qc);
        }
        return 0;
    }

}
