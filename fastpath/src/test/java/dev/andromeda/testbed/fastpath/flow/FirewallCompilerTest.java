package dev.andromeda.testbed.fastpath.flow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-computed firewall against an oracle written apart from the production
 * matching code: none of {@link FirewallRule#allows}, {@code matchesSource},
 * {@code matchesProtocol} or {@code FirewallCompiler.hasPorts} is called here, so
 * a defect shared by the compiler and those helpers cannot hide itself.
 */
class FirewallCompilerTest {

    /**
     * The rules' documented meaning (FirewallRule javadoc, DESIGN.md "Firewall rules"):
     * allow rules only, so a packet passes iff at least one rule allows it -- order does
     * not matter and nothing allowed means denied. A rule allows a packet when its
     * protocol is ANY or equal, the top {@code length} bits of the source equal the
     * prefix's, and -- only for protocols carrying ports (TCP 6, UDP 17, SCTP 132,
     * UDP-Lite 136) -- the destination port lies in [portLo, portHi]. Stateful rules
     * allow by port like the others; the tracking of replies is not the compiler's work.
     */
    static boolean oracleAllows(List<FirewallRule> rules, int src, int proto, int port) {
        boolean portsMatter = proto == 6 || proto == 17 || proto == 132 || proto == 136;
        for (FirewallRule rule : rules) {
            if (rule.protocol() != -1 && rule.protocol() != proto) {
                continue;
            }
            boolean sourceMatches = true;
            for (int bit = 31; bit > 31 - rule.length(); bit--) { // bit by bit: no mask arithmetic shared
                if (((src >>> bit) & 1) != ((rule.prefix() >>> bit) & 1)) {
                    sourceMatches = false;
                    break;
                }
            }
            if (sourceMatches && (!portsMatter || (port >= rule.portLo() && port <= rule.portHi()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether any rule applies at all to (src, proto), whatever the port: a DENY policy must mean none does. */
    static boolean oracleAnyRuleApplies(List<FirewallRule> rules, int src, int proto) {
        for (FirewallRule rule : rules) {
            long first = Integer.toUnsignedLong(rule.prefix()) >>> (32 - rule.length()) << (32 - rule.length());
            if (rule.length() == 0) {
                first = 0;
            }
            long last = first + (1L << (32 - rule.length())) - 1;
            long s = Integer.toUnsignedLong(src);
            if ((rule.protocol() == -1 || rule.protocol() == proto) && s >= first && s <= last) {
                return true;
            }
        }
        return false;
    }

    static final int[] PROTOCOLS = {6, 17, 132, 136, 1, 47, 0, 255};

    private static FirewallRule randomRule(Random r) {
        int proto = r.nextInt(3) == 0 ? FirewallRule.ANY : PROTOCOLS[r.nextInt(PROTOCOLS.length)];
        // Bounds one off the full range (1, 65534) too: a compiler that mistakes them for "all ports" must fail.
        int lo = switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 65535;
            case 2 -> 1;
            default -> r.nextInt(65536);
        };
        int hi = switch (r.nextInt(6)) {
            case 0 -> 65535;
            case 1 -> lo;
            case 2 -> Math.max(lo, 65534);
            default -> Math.min(65535, lo + r.nextInt(3000));
        };
        // Prefixes anywhere in the address space (including host bits set, which the rule must ignore),
        // of every length; half near 10.0.0.0/16 so rules overlap and sources often match.
        int prefix = r.nextBoolean() ? 0x0A000000 | r.nextInt(1 << 16) : r.nextInt();
        int len = r.nextBoolean() ? new int[] {0, 1, 8, 16, 24, 31, 32}[r.nextInt(7)] : r.nextInt(33);
        return new FirewallRule(proto, prefix, len, lo, hi, r.nextInt(5) == 0);
    }

    /** Sources on every rule's prefix edges (first, last, and one outside each side) and random ones. */
    private static List<Integer> sources(List<FirewallRule> rules, Random r) {
        List<Integer> out = new ArrayList<>(List.of(0, -1, 0x7FFFFFFF, 0x80000000));
        for (FirewallRule rule : rules) {
            long size = 1L << (32 - rule.length());
            long first = Integer.toUnsignedLong(rule.prefix()) / size * size;
            long last = first + size - 1;
            for (long a : new long[] {first - 1, first, last, last + 1, first + (size > 2 ? r.nextLong(size) : 0)}) {
                if (a >= 0 && a <= 0xFFFFFFFFL) {
                    out.add((int) a);
                }
            }
        }
        for (int i = 0; i < 20; i++) {
            out.add(r.nextBoolean() ? 0x0A000000 | r.nextInt(1 << 16) : r.nextInt());
        }
        return out;
    }

    /** Ports 0, 1, 65534, 65535, every rule's bounds and their neighbours, and random ones. */
    private static TreeSet<Integer> ports(List<FirewallRule> rules, Random r) {
        TreeSet<Integer> out = new TreeSet<>(List.of(0, 1, 65534, 65535));
        for (FirewallRule rule : rules) {
            for (int p : new int[] {rule.portLo() - 1, rule.portLo(), rule.portLo() + 1,
                    rule.portHi() - 1, rule.portHi(), rule.portHi() + 1}) {
                if (p >= 0 && p <= 65535) {
                    out.add(p);
                }
            }
        }
        for (int i = 0; i < 30; i++) {
            out.add(r.nextInt(65536));
        }
        return out;
    }

    static LongStream seeds() {
        // A fixed, printed spread of seeds: every run checks the same cases, and a failure names its seed.
        return LongStream.rangeClosed(1, 200).map(i -> i * 0x9E3779B97F4A7C15L);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void agreesWithIndependentOracleOnEveryPacket(long seed) {
        Random r = new Random(seed);
        List<FirewallRule> rules = new ArrayList<>();
        for (int i = 0, n = r.nextInt(11); i < n; i++) {
            rules.add(randomRule(r));
        }
        List<Integer> protocols = new ArrayList<>();
        for (int p : PROTOCOLS) {
            protocols.add(p);
        }
        int checks = 0;
        for (int src : sources(rules, r)) {
            for (int proto : protocols) {
                FirewallPolicy p = FirewallCompiler.compile(rules, src, proto);
                FlowTable t = new FlowTableBuilder().flow(1, proto, src, 2, FlowAction.deliver(0), p).build();
                int f = t.lookup(1, proto, src, 2);
                // A few (src, proto) per seed over all 65,536 ports; the rest over the edge ports.
                Iterable<Integer> portSet = checks++ < 3 ? allPorts() : ports(rules, r);
                for (int port : portSet) {
                    assertThat(t.allows(f, port))
                            .as("seed %d: rules %s src %08x proto %d port %d policy %s", seed, rules, src, proto,
                                    port, p)
                            .isEqualTo(oracleAllows(rules, src, proto, port));
                }
                assertThat(p.kind() == FirewallPolicy.Kind.DENY)
                        .as("seed %d: DENY iff no rule applies; rules %s src %08x proto %d policy %s", seed, rules,
                                src, proto, p)
                        .isEqualTo(!oracleAnyRuleApplies(rules, src, proto));
            }
        }
    }

    private static List<Integer> allPorts() {
        List<Integer> all = new ArrayList<>(65536);
        for (int p = 0; p <= 65535; p++) {
            all.add(p);
        }
        return all;
    }
}
