package dev.andromeda.testbed.fastpath.flow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowTableTest {

    @ParameterizedTest(name = "{0} flows")
    @ValueSource(ints = {0, 1, 7, 1000, 100_000})
    void findsEveryFlowItHoldsAndNoneItDoesNot(int n) {
        long seed = 31L * n + 7;
        Random r = new Random(seed);
        FlowTableBuilder b = new FlowTableBuilder();
        int host = b.host(0x0A000001, 0x02_00_00_00_00_01L);
        Map<List<Integer>, Integer> oracle = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int vni = r.nextInt(1 << 24);
            int proto = r.nextBoolean() ? 6 : 17;
            int src = r.nextInt();
            int dst = r.nextInt();
            int action = r.nextBoolean() ? FlowAction.deliver(r.nextInt(1000)) : FlowAction.encapToHost(host);
            b.flow(vni, proto, src, dst, action, FirewallPolicy.ALLOW_ALL);
            oracle.put(List.of(vni, proto, src, dst), action);
        }
        FlowTable t = b.build();
        assertThat(t.size()).isEqualTo(oracle.size());
        for (Map.Entry<List<Integer>, Integer> e : oracle.entrySet()) {
            List<Integer> k = e.getKey();
            int i = t.lookup(k.get(0), k.get(1), k.get(2), k.get(3));
            assertThat(i).as("seed %d key %s", seed, k).isNotEqualTo(FlowTable.MISS);
            assertThat(t.action(i)).isEqualTo(e.getValue());
            assertThat(List.of(t.vni(i), t.proto(i), t.src(i), t.dst(i))).isEqualTo(k);
        }
        for (int i = 0; i < 10_000; i++) {
            List<Integer> k = List.of(r.nextInt(1 << 24), 17, r.nextInt(), r.nextInt());
            if (!oracle.containsKey(k)) {
                assertThat(t.lookup(k.get(0), k.get(1), k.get(2), k.get(3))).as("seed %d", seed)
                        .isEqualTo(FlowTable.MISS);
            }
        }
    }

    @Test
    void keepsVirtualNetworksApartForTheSameAddresses() {
        FlowTable t = new FlowTableBuilder()
                .flow(100, 17, 0x0A000002, 0x0A000003, FlowAction.deliver(1), FirewallPolicy.ALLOW_ALL)
                .flow(200, 17, 0x0A000002, 0x0A000003, FlowAction.deliver(2), FirewallPolicy.ALLOW_ALL)
                .build();
        assertThat(FlowAction.argument(t.action(t.lookup(100, 17, 0x0A000002, 0x0A000003)))).isEqualTo(1);
        assertThat(FlowAction.argument(t.action(t.lookup(200, 17, 0x0A000002, 0x0A000003)))).isEqualTo(2);
        assertThat(t.lookup(300, 17, 0x0A000002, 0x0A000003)).isEqualTo(FlowTable.MISS);
        assertThat(t.lookup(100, 6, 0x0A000002, 0x0A000003)).as("another protocol").isEqualTo(FlowTable.MISS);
    }

    @Test
    void rebuildsFromASnapshotWithChanges() {
        FlowTableBuilder b = new FlowTableBuilder();
        b.flow(1, 17, 1, 2, FlowAction.deliver(5), FirewallPolicy.ports(FirewallPolicy.Kind.PORT_RANGES,
                new int[] {80, 80}, new int[] {443, 443}));
        FlowTable t1 = b.build();
        FlowTable t2 = FlowTableBuilder.from(t1).flow(1, 17, 3, 4, FlowAction.drop(), FirewallPolicy.DENY).build();
        int i = t2.lookup(1, 17, 1, 2);
        assertThat(t2.allows(i, 443)).isTrue();
        assertThat(t2.allows(i, 444)).isFalse();
        assertThat(t2.size()).isEqualTo(2);
        assertThat(FlowTableBuilder.from(t2).remove(1, 17, 1, 2).build().lookup(1, 17, 1, 2)).isEqualTo(FlowTable.MISS);
    }

    @Test
    void rejectsActionsNamingUnknownHostsAndKeysOutOfRange() {
        FlowTableBuilder b = new FlowTableBuilder();
        assertThatThrownBy(() -> b.flow(1, 17, 1, 2, FlowAction.encapToHost(3), FirewallPolicy.ALLOW_ALL))
                .hasMessageContaining("host 3");
        assertThatThrownBy(() -> b.flow(1 << 24, 17, 1, 2, FlowAction.drop(), FirewallPolicy.ALLOW_ALL))
                .hasMessageContaining("24 bits");
    }

    @Test
    void carriesCountersAcrossASwapWithoutLosingAnIncrement() throws Exception {
        FlowTableBuilder base = new FlowTableBuilder();
        for (int i = 0; i < 100; i++) {
            base.flow(1, 17, i, i + 1, FlowAction.deliver(i), FirewallPolicy.ALLOW_ALL);
        }
        FlowTableHolder holder = new FlowTableHolder(base.build());
        long rounds = 200_000;
        Thread control = new Thread(() -> {
            for (int k = 0; k < 200; k++) {
                FlowTableBuilder b = FlowTableBuilder.from(holder.current());
                b.flow(2, 17, k, k, FlowAction.drop(), FirewallPolicy.DENY);
                holder.publish(b.build());
                Thread.onSpinWait();
            }
        });
        control.start();
        for (long n = 0; n < rounds; n++) {
            FlowTable t = holder.adopt();
            t.count(t.lookup(1, 17, (int) (n % 100), (int) (n % 100) + 1), 64);
        }
        control.join();
        FlowTable last = holder.adopt();
        long packets = 0;
        long bytes = 0;
        for (int i = 0; i < 100; i++) {
            int f = last.lookup(1, 17, i, i + 1);
            packets += last.packets(f);
            bytes += last.bytes(f);
        }
        assertThat(holder.swaps()).isPositive();
        assertThat(packets).isEqualTo(rounds);
        assertThat(bytes).isEqualTo(rounds * 64);
    }

    /**
     * A flow's port ranges sit in its record up to {@link FlowTable#INLINE_RANGES} and in the
     * overflow array beyond: both answer every port as a brute-force check of the ranges given
     * does, and survive {@link FlowTableBuilder#from} (what the control plane rebuilds from).
     */
    @ParameterizedTest(name = "{0} ranges")
    @ValueSource(ints = {1, 2, 7, 8, 9, 12, 40})
    void portRangesInlineAndOverflowAnswerEveryPort(int ranges) {
        long seed = 1000L + ranges;
        Random r = new Random(seed);
        int[][] loHi = new int[ranges][];
        for (int k = 0; k < ranges; k++) {
            int lo = r.nextInt(65536);
            loHi[k] = new int[] {lo, Math.min(65535, lo + r.nextInt(300))};
        }
        FirewallPolicy policy = FirewallPolicy.ports(FirewallPolicy.Kind.PORT_RANGES, loHi);
        FlowTableBuilder b = new FlowTableBuilder();
        b.flow(5, 17, 1, 2, FlowAction.deliver(1), FirewallPolicy.ALLOW_ALL); // another flow's record before it
        b.flow(5, 17, 3, 4, FlowAction.deliver(2), policy);
        b.flow(5, 6, 3, 4, FlowAction.deliver(3), policy);
        FlowTable t = b.build();
        FlowTable again = FlowTableBuilder.from(t).build();
        for (FlowTable table : List.of(t, again)) {
            int f = table.lookup(5, 17, 3, 4);
            assertThat(table.action(f)).isEqualTo(FlowAction.deliver(2));
            for (int port = 0; port <= 65535; port++) {
                boolean expected = false;
                for (int[] x : loHi) {
                    expected |= port >= x[0] && port <= x[1];
                }
                if (table.allows(f, port) != expected) {
                    throw new AssertionError("seed " + seed + ": port " + port + " allowed " + !expected);
                }
            }
            assertThat(table.allows(table.lookup(5, 17, 1, 2), 7)).isTrue();
        }
    }
}
