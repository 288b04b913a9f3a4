package dev.andromeda.testbed.fastpath.flow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The pre-computed firewall against a brute-force evaluation of the rules. */
class FirewallCompilerTest {

    private static FirewallRule randomRule(Random r) {
        int[] protos = {FirewallRule.ANY, 6, 17, 1};
        int lo = r.nextInt(4) == 0 ? 0 : r.nextInt(65536);
        int hi = r.nextInt(4) == 0 ? 65535 : Math.min(65535, lo + r.nextInt(2000));
        int len = new int[] {0, 8, 16, 24, 32}[r.nextInt(5)];
        return new FirewallRule(protos[r.nextInt(protos.length)], 0x0A000000 | r.nextInt(1 << 16), len, lo, hi,
                r.nextInt(5) == 0);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void agreesWithBruteForceOnEveryPacket(long seed) {
        Random r = new Random(seed);
        List<FirewallRule> rules = new ArrayList<>();
        for (int i = 0, n = r.nextInt(8); i < n; i++) {
            rules.add(randomRule(r));
        }
        for (int k = 0; k < 300; k++) {
            int src = r.nextBoolean() ? 0x0A000000 | r.nextInt(1 << 16) : r.nextInt();
            int proto = new int[] {6, 17, 1, 47}[r.nextInt(4)];
            FirewallPolicy p = FirewallCompiler.compile(rules, src, proto);
            FlowTable t = new FlowTableBuilder().flow(1, proto, src, 2, FlowAction.deliver(0), p).build();
            int f = t.lookup(1, proto, src, 2);
            for (int j = 0; j < 50; j++) {
                int port = j < 4 ? new int[] {0, 1, 65534, 65535}[j] : r.nextInt(65536);
                boolean expected = rules.stream().anyMatch(rule -> rule.allows(src, proto, port));
                assertThat(t.allows(f, port)).as("seed %d rules %s src %08x proto %d port %d policy %s", seed, rules,
                        src, proto, port, p.kind()).isEqualTo(expected);
            }
            if (!rules.isEmpty() && p.kind() == FirewallPolicy.Kind.ALLOW_ALL) {
                assertThat(rules.stream().anyMatch(rule -> rule.matchesSource(src) && rule.matchesProtocol(proto)))
                        .isTrue();
            }
        }
    }
}
