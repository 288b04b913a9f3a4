package dev.andromeda.testbed.fastpath.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * Pre-computes a flow's {@link FirewallPolicy} from the destination VM's rules
 * (Andromeda §4.2): for one source address and protocol, the rules that match
 * reduce to a set of allowed destination ports -- all of them (no firewall
 * work on the fast path), none, or a few ranges.
 */
public final class FirewallCompiler {
    private FirewallCompiler() {
    }

    /** TCP, UDP, SCTP and UDP-Lite carry ports; ICMP and the rest do not. */
    static boolean hasPorts(int proto) {
        return proto == 6 || proto == 17 || proto == 132 || proto == 136;
    }

    public static FirewallPolicy compile(List<FirewallRule> rules, int srcAddress, int proto) {
        List<int[]> ranges = new ArrayList<>();
        boolean stateful = false;
        for (FirewallRule r : rules) {
            if (!r.matchesProtocol(proto) || !r.matchesSource(srcAddress)) {
                continue;
            }
            if (!hasPorts(proto) || (r.portLo() == 0 && r.portHi() == 0xFFFF)) {
                if (!r.stateful()) {
                    return FirewallPolicy.ALLOW_ALL;
                }
                ranges.add(new int[] {0, 0xFFFF});
                stateful = true;
                continue;
            }
            ranges.add(new int[] {r.portLo(), r.portHi()});
            stateful |= r.stateful();
        }
        if (ranges.isEmpty()) {
            return FirewallPolicy.DENY;
        }
        FirewallPolicy p = FirewallPolicy.ports(stateful ? FirewallPolicy.Kind.STATEFUL
                : FirewallPolicy.Kind.PORT_RANGES, ranges.toArray(new int[0][]));
        boolean everything = p.ranges().length == 1 && p.ranges()[0] == 0xFFFF;
        return everything && !stateful ? FirewallPolicy.ALLOW_ALL : p;
    }
}
