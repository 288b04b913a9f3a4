package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.tb.demo.DemoTopology;
import dev.andromeda.testbed.tb.scenario.Scenario;
import dev.andromeda.testbed.tb.scenario.ScenarioLoader;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The network's desired state as cluster management stores it in ZooKeeper (at
 * {@link ClusterZk#DESIRED}): a version, the scenario's network part as its YAML text, and the
 * VMs moved off the host the scenario places them on (live migrations). Every controller and host
 * derives the same {@link DemoTopology} from it.
 *
 * <pre>
 * andromeda-desired 1          format line
 * version 3
 * move 100001 2                VM 100001 now runs on host 2 (one line per moved VM)
 * ---
 * ...the scenario's YAML...
 * </pre>
 */
public record DesiredState(long version, String yaml, Map<Integer, Integer> moves) {
    static final String FORMAT_LINE = "andromeda-desired 1";

    public DesiredState {
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1: " + version);
        }
        moves = Map.copyOf(new TreeMap<>(moves));
    }

    /** The scenario (its YAML was checked when the state was applied; checked again here). */
    public Scenario scenario() {
        return ScenarioLoader.parse(yaml, "desired state v" + version);
    }

    /** Where everything lives at this version. */
    public DemoTopology topology() {
        return new DemoTopology(scenario(), version, moves);
    }

    /** The next version: the same network with {@code vmId} on {@code hostId}. */
    public DesiredState withMove(int vmId, int hostId) {
        Map<Integer, Integer> m = new TreeMap<>(moves);
        m.put(vmId, hostId);
        return new DesiredState(version + 1, yaml, m);
    }

    /** Moves as one line, "VM:HOST,VM:HOST" (a cluster's layout file keeps them so). */
    static String formatMoves(Map<Integer, Integer> moves) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(moves).forEach((vm, host) -> b.append(b.isEmpty() ? "" : ",").append(vm).append(':').append(host));
        return b.toString();
    }

    /** Reads what {@link #formatMoves} wrote. */
    static Map<Integer, Integer> parseMoves(String line) {
        Map<Integer, Integer> m = new TreeMap<>();
        for (String kv : line.isBlank() ? new String[0] : line.split(",")) {
            String[] f = kv.split(":");
            m.put(Integer.parseInt(f[0].strip()), Integer.parseInt(f[1].strip()));
        }
        return m;
    }

    public byte[] encode() {
        StringBuilder b = new StringBuilder(FORMAT_LINE).append('\n').append("version ").append(version).append('\n');
        new TreeMap<>(moves).forEach((vm, host) -> b.append("move ").append(vm).append(' ').append(host).append('\n'));
        b.append("---\n").append(yaml);
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException naming what is wrong (another format, a bad line)
     */
    public static DesiredState decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int sep = text.indexOf("\n---\n");
        if (!text.startsWith(FORMAT_LINE + "\n") || sep < 0) {
            String first = text.lines().findFirst().orElse("");
            throw new IllegalArgumentException("the desired state in ZooKeeper is not of format '" + FORMAT_LINE
                    + "' (its first line: '" + first.substring(0, Math.min(first.length(), 60)) + "')");
        }
        long version = -1;
        Map<Integer, Integer> moves = new TreeMap<>();
        for (String line : text.substring(FORMAT_LINE.length() + 1, sep).split("\n")) {
            String[] f = line.strip().split(" +");
            try {
                if (f[0].equals("version") && f.length == 2) {
                    version = Long.parseLong(f[1]);
                } else if (f[0].equals("move") && f.length == 3) {
                    moves.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                } else {
                    throw new IllegalArgumentException("bad line in the desired state's header: '" + line + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number in the desired state's header: '" + line + "'");
            }
        }
        return new DesiredState(version, text.substring(sep + 5), moves);
    }
}
