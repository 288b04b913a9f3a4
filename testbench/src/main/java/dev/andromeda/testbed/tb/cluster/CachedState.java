package dev.andromeda.testbed.tb.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The last desired state a host read from ZooKeeper, kept beside its checkpoints: where its VMs
 * are and what its peers' PSP keys are derived from, for a host restarted while ZooKeeper is
 * slow to answer, and the peers' UDP endpoints it last saw, so that it reaches them before
 * ZooKeeper answers. (The flows themselves come from the agent's checkpoint.)
 */
final class CachedState {
    static final String FILE = "desired-state";
    static final String PEERS = "peers";

    private CachedState() {
    }

    /** The cached state, or null when there is none or it cannot be read (then ZooKeeper's is waited for). */
    static DesiredState read(Path dir) {
        try {
            Path f = dir.resolve(FILE);
            return Files.exists(f) ? DesiredState.decode(Files.readAllBytes(f)) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static void write(Path dir, DesiredState s) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, s.encode());
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The cached peer table (outer IPv4 address to UDP endpoint); empty when none, or unreadable. */
    static Map<Integer, InetSocketAddress> readPeers(Path dir) {
        Map<Integer, InetSocketAddress> m = new HashMap<>();
        try {
            Path f = dir.resolve(PEERS);
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f)) {
                    String[] kv = line.strip().split(" ");
                    if (kv.length == 2) {
                        m.put(Integer.parseUnsignedInt(kv[0]), Addresses.parse(kv[1]));
                    }
                }
            }
        } catch (IOException | RuntimeException damaged) {
            m.clear(); // a damaged file: ZooKeeper's table is waited for
        }
        return m;
    }

    static void writePeers(Path dir, Map<Integer, InetSocketAddress> peers) throws IOException {
        StringBuilder b = new StringBuilder();
        peers.forEach((ip, a) -> b.append(Integer.toUnsignedString(ip)).append(' ').append(ClusterZk.hostPort(a))
                .append('\n'));
        Path tmp = dir.resolve(PEERS + ".tmp");
        Files.writeString(tmp, b);
        Files.move(tmp, dir.resolve(PEERS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
