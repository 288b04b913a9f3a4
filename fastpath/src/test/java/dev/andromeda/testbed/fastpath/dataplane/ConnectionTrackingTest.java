package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stateful firewall rules end to end, and the connection table alone. VM X on
 * host a has the ingress rule "stateful: TCP from the network to port 22", so
 * host b's flow Y -> X carries a STATEFUL policy with the range 22..22. Y may
 * open connections to X:22 only; X may open any connection to Y, and Y's
 * replies to it pass because host b saw X's packets arrive.
 */
class ConnectionTrackingTest {
    static final int X = 0x0A000001;
    static final int Y = 0x0A000002;

    @Test
    void repliesToConnectionsTheVmOpenedPassAndNothingElseDoes() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            FlowTableBuilder fa = new FlowTableBuilder();
            fa.host(TwoHosts.A_IP, TwoHosts.A_MAC);
            fa.host(TwoHosts.B_IP, TwoHosts.B_MAC);
            fa.flow(TwoHosts.PLAIN_VNI, 6, X, Y, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL);
            net.a.flows().publish(fa.build());
            FlowTableBuilder fb = new FlowTableBuilder();
            fb.host(TwoHosts.A_IP, TwoHosts.A_MAC);
            fb.host(TwoHosts.B_IP, TwoHosts.B_MAC);
            fb.flow(TwoHosts.PLAIN_VNI, 6, Y, X, FlowAction.encapToHost(0),
                    FirewallPolicy.ports(FirewallPolicy.Kind.STATEFUL, new int[] {22, 22}));
            net.b.flows().publish(fb.build());
            Random r = new Random(9);

            assertThat(deliver(net, net.b1, net.a1, tcp(r, Y, 40000, X, 80))).as("Y opens X:80: refused").isFalse();
            assertThat(deliver(net, net.b1, net.a1, tcp(r, Y, 40001, X, 22))).as("Y opens X:22: allowed").isTrue();
            assertThat(deliver(net, net.a1, net.b1, tcp(r, X, 5000, Y, 80))).as("X opens Y:80").isTrue();
            assertThat(deliver(net, net.b1, net.a1, tcp(r, Y, 80, X, 5000))).as("Y's reply passes").isTrue();
            assertThat(deliver(net, net.b1, net.a1, tcp(r, Y, 81, X, 5000))).as("another source port: no").isFalse();
            assertThat(deliver(net, net.b1, net.a1, tcp(r, Y, 80, X, 5001))).as("another X port: no").isFalse();
            assertThat(net.b.counters().drops(Drop.FIREWALL)).isEqualTo(3);
        }
    }

    /** Sends one frame and says whether the peer VM got it. */
    private static boolean deliver(TwoHosts net, VirtioNic from, VirtioNic to, byte[] frame) {
        from.send(frame, 34, 16);
        net.settle();
        return TwoHosts.drain(to).size() == 1;
    }

    private static byte[] tcp(Random r, int src, int sport, int dst, int dport) {
        byte[] f = TwoHosts.guestFrame(r, src, dst, true, 20);
        TwoHosts.put16(f, 34, sport);
        TwoHosts.put16(f, 36, dport);
        // the pseudo-header sum in the checksum field does not cover the ports: nothing else to fix
        return f;
    }

    @Test
    void theTableForgetsIdleConnectionsAndEvictsTheStalestWhenAWindowIsFull() {
        ConnectionTable t = new ConnectionTable(8, 1_000);
        t.record(100, 6, Y, X, 80, 5000, 10);
        assertThat(t.isReply(100, 6, X, Y, 5000, 80, 500)).isTrue();
        assertThat(t.isReply(100, 17, X, Y, 5000, 80, 500)).as("another protocol").isFalse();
        assertThat(t.isReply(200, 6, X, Y, 5000, 80, 500)).as("another network").isFalse();
        assertThat(t.isReply(100, 6, X, Y, 5000, 80, 1_600)).as("idle for 1,100 ns > 1,000").isFalse();
        for (int k = 0; k < 8; k++) {   // fill the whole table (8 slots = one window)
            t.record(100, 6, Y, X, 1000 + k, 5000, 2_000 + k);
        }
        t.record(100, 6, Y, X, 2000, 5000, 2_100); // the stalest live one (port 1000) goes
        assertThat(t.evictions()).isEqualTo(1);
        assertThat(t.isReply(100, 6, X, Y, 5000, 2000, 2_200)).isTrue();
        assertThat(t.isReply(100, 6, X, Y, 5000, 1000, 2_200)).isFalse();
        assertThat(t.isReply(100, 6, X, Y, 5000, 1007, 2_200)).isTrue();
    }
}
