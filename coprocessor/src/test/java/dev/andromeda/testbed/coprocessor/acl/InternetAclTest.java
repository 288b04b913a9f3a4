package dev.andromeda.testbed.coprocessor.acl;

import dev.andromeda.testbed.coprocessor.Seeds;
import dev.andromeda.testbed.coprocessor.ring.Direction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InternetAclTest {
    private static final int TCP = 6;
    private static final int UDP = 17;

    @Test
    void matchesCidrPortAndProtocolAndTheFirstMatchingRuleWins() {
        var acl = new InternetAcl(List.of(
                AclRule.parse("deny in tcp 203.0.113.0/24 any"),
                AclRule.parse("allow in tcp 0.0.0.0/0 443"),
                AclRule.parse("allow in udp 198.51.100.7/32 5000-5100"),
                AclRule.parse("deny out tcp 0.0.0.0/0 25")), false);

        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("8.8.8.8"), 443, TCP)).isTrue();
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("203.0.113.9"), 443, TCP)).isFalse();
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("8.8.8.8"), 443, UDP)).isFalse();
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("8.8.8.8"), 80, TCP)).isFalse();
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("198.51.100.7"), 5050, UDP)).isTrue();
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("198.51.100.8"), 5050, UDP)).isFalse();
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("198.51.100.7"), 5101, UDP)).isFalse();
        assertThat(acl.allows(Direction.EGRESS, Ipv4.parse("1.2.3.4"), 25, TCP)).isFalse();
    }

    @Test
    void takesTheDefaultWhenNoRuleMatches() {
        var acl = new InternetAcl(List.of(AclRule.parse("deny out tcp 0.0.0.0/0 25")), true);
        assertThat(acl.allows(Direction.EGRESS, Ipv4.parse("1.2.3.4"), 443, TCP)).isTrue();
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("1.2.3.4"), 25, TCP)).isTrue();
    }

    @Test
    void seesReplacedRulesOnTheNextLookup() {
        var acl = new InternetAcl(List.of(), true);
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("10.1.2.3"), 22, TCP)).isTrue();
        acl.replace(List.of(AclRule.parse("deny in any 10.0.0.0/8 22")), true);
        assertThat(acl.allows(Direction.INGRESS, Ipv4.parse("10.1.2.3"), 22, TCP)).isFalse();
        assertThat(acl.rules()).hasSize(1);
    }

    @Test
    void readsAndPrintsRulesInTheirTextForm() {
        AclRule rule = AclRule.parse("allow any udp 10.1.2.3/8 53");
        assertThat(rule.network()).isEqualTo(Ipv4.parse("10.0.0.0"));
        assertThat(rule).hasToString("allow any 17 10.0.0.0/8 53-53");
        assertThat(AclRule.parse(rule.toString())).isEqualTo(rule);
        assertThatThrownBy(() -> AclRule.parse("allow in tcp 10.0.0.0/33 1")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> AclRule.parse("allow in tcp 10.0.0.0/8 9-1")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4.parse("10.0.0.256")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The slow, obvious evaluation: compare the top prefixLength bits as unsigned numbers. */
    private static boolean bruteForce(List<AclRule> rules, boolean defaultAllow, Direction d, int remote, int port,
                                      int protocol) {
        for (AclRule r : rules) {
            boolean direction = d == Direction.INGRESS ? r.ingress() : r.egress();
            long shift = 32 - r.prefixLength();
            boolean inNetwork = (Integer.toUnsignedLong(remote) >>> shift)
                    == (Integer.toUnsignedLong(r.network()) >>> shift);
            boolean inPorts = port >= r.portLow() && port <= r.portHigh();
            boolean protocolOk = r.protocol() == 0 || r.protocol() == protocol;
            if (direction && inNetwork && inPorts && protocolOk) {
                return r.allow();
            }
        }
        return defaultAllow;
    }

    @Test
    void agreesWithABruteForceEvaluationOverSeededRandomRulesAndAddresses() throws Exception {
        Seeds.reportingSeed(seed -> {
            var random = new SplittableRandom(seed);
            int[] protocols = {0, TCP, UDP};
            for (int round = 0; round < 200; round++) {
                List<AclRule> rules = new ArrayList<>();
                int n = random.nextInt(0, 40);
                for (int i = 0; i < n; i++) {
                    int low = random.nextInt(0, 65536);
                    int high = random.nextBoolean() ? low : random.nextInt(low, 65536);
                    int dir = random.nextInt(3);
                    rules.add(new AclRule(random.nextBoolean(), dir != 1, dir != 0, random.nextInt(),
                            random.nextInt(0, 33), random.nextInt(10) == 0 ? 0 : low,
                            random.nextInt(10) == 0 ? 65535 : high, protocols[random.nextInt(3)]));
                }
                boolean defaultAllow = random.nextBoolean();
                var acl = new InternetAcl(rules, defaultAllow);
                for (int q = 0; q < 500; q++) {
                    int remote;
                    int port;
                    if (!rules.isEmpty() && random.nextBoolean()) {
                        // Near a rule: its network with random host bits, a port at or around its edges.
                        AclRule r = rules.get(random.nextInt(rules.size()));
                        remote = r.network() | (random.nextInt() & ~Ipv4.mask(r.prefixLength()));
                        if (random.nextInt(4) == 0) {
                            remote ^= 1 << random.nextInt(32);
                        }
                        int[] edges = {r.portLow() - 1, r.portLow(), r.portHigh(), r.portHigh() + 1};
                        port = Math.clamp(edges[random.nextInt(4)], 0, 65535);
                    } else {
                        remote = random.nextInt();
                        port = random.nextInt(0, 65536);
                    }
                    Direction d = random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
                    int protocol = new int[] {1, TCP, UDP}[random.nextInt(3)]; // ICMP, TCP, UDP packets
                    boolean expected = bruteForce(rules, defaultAllow, d, remote, port, protocol);
                    assertThat(acl.allows(d, remote, port, protocol))
                            .as("round %d: %s %s port %d proto %d against %s", round, d, Ipv4.format(remote), port,
                                    protocol, rules)
                            .isEqualTo(expected);
                }
            }
        });
    }
}
