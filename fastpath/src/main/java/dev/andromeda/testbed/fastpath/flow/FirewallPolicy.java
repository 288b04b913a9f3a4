package dev.andromeda.testbed.fastpath.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A flow's firewall, pre-computed by the control plane (Andromeda §4.2): the
 * rules of both VMs reduced, for one pair of addresses and one protocol, to
 * what the fast path needs at packet time.
 *
 * <ul>
 *   <li>{@link Kind#ALLOW_ALL} — the common case: no firewall work at all on the fast path;</li>
 *   <li>{@link Kind#PORT_RANGES} — the destination port must fall in one of a few sorted,
 *       disjoint ranges (one comparison loop over a flat array);</li>
 *   <li>{@link Kind#STATEFUL} — like PORT_RANGES for connections this side opens; replies to
 *       tracked connections pass, anything else needs a tracked connection;</li>
 *   <li>{@link Kind#DENY} — nothing passes.</li>
 * </ul>
 *
 * @param ranges port ranges as {@code lo << 16 | hi}, sorted and disjoint
 */
public record FirewallPolicy(Kind kind, int[] ranges) {
    public enum Kind {
        ALLOW_ALL, PORT_RANGES, STATEFUL, DENY
    }

    public static final FirewallPolicy ALLOW_ALL = new FirewallPolicy(Kind.ALLOW_ALL, new int[0]);
    public static final FirewallPolicy DENY = new FirewallPolicy(Kind.DENY, new int[0]);

    /** A policy allowing the given inclusive ranges {@code {lo, hi}}, merged and sorted. */
    public static FirewallPolicy ports(Kind kind, int[]... loHi) {
        if (kind != Kind.PORT_RANGES && kind != Kind.STATEFUL) {
            throw new IllegalArgumentException("port ranges belong to PORT_RANGES or STATEFUL, not " + kind);
        }
        List<int[]> list = new ArrayList<>();
        for (int[] r : loHi) {
            if (r.length != 2 || r[0] < 0 || r[1] > 0xFFFF || r[0] > r[1]) {
                throw new IllegalArgumentException("a port range is {lo, hi} with 0 <= lo <= hi <= 65535");
            }
            list.add(r.clone());
        }
        list.sort(Comparator.comparingInt(r -> r[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] r : list) {
            if (!merged.isEmpty() && r[0] <= merged.getLast()[1] + 1) {
                merged.getLast()[1] = Math.max(merged.getLast()[1], r[1]);
            } else {
                merged.add(r);
            }
        }
        int[] packed = new int[merged.size()];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = merged.get(i)[0] << 16 | merged.get(i)[1];
        }
        return new FirewallPolicy(kind, packed);
    }

    /** Whether a port falls in the ranges (what the fast path evaluates, on the flat array). */
    public static boolean inRanges(int[] flat, int from, int count, int port) {
        for (int i = from; i < from + count; i++) {
            int r = flat[i];
            if (port < r >>> 16) {
                return false; // sorted: no later range can hold it
            }
            if (port <= (r & 0xFFFF)) {
                return true;
            }
        }
        return false;
    }
}
