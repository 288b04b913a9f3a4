package dev.andromeda.testbed.control.host;

import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.control.rpc.proto.FlowUsage;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sending host's half of hoverboard offload (Andromeda §3.3): each call
 * reports to the controller the bytes the host sent per flow since the last
 * call -- flows over the default route, as the dataplane measured them on the
 * way to the hoverboards, and flows sent directly to a host (offload flows
 * among them), from the flow table's counters. Runs on the host's thread
 * (between turns of its loop). It sends on the programming stream itself, so
 * it may wait while the client applies a program: call it between turns, not
 * from inside the dataplane's stages.
 */
public final class UsageReporter {
    private record Key(int vni, int proto, int src, int dst) {
    }

    private final Host host;
    private final HostAgentClient client;
    private final Map<Key, Long> lastBytes = new HashMap<>();
    private long sequence;

    public UsageReporter(Host host, HostAgentClient client) {
        this.host = host;
        this.client = client;
    }

    /**
     * Sends one report (possibly empty: the controller still learns the interval is over for
     * this host).
     *
     * @return the report's sequence number, or -1 when it could not be sent (no stream; counted
     *         by the client); the bytes are then reported with the next one
     */
    public long report() {
        List<FlowUsage> flows = new ArrayList<>();
        host.defaultRouteUsage().drain((vni, proto, src, dst, bytes) -> flows.add(usage(vni, proto, src, dst, bytes)));
        FlowTable t = host.flows().current(); // the table the dataplane counts in, not one still pending
        Map<Key, Long> now = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            if (FlowAction.kind(t.action(i)) != FlowAction.ENCAP_HOST) {
                continue;
            }
            Key k = new Key(t.vni(i), t.proto(i), t.src(i), t.dst(i));
            long bytes = t.bytes(i);
            now.put(k, bytes);
            long delta = bytes - lastBytes.getOrDefault(k, 0L);
            if (delta > 0) {
                flows.add(usage(k.vni(), k.proto(), k.src(), k.dst(), delta));
            }
        }
        long seq = sequence + 1;
        if (!client.reportUsage(seq, flows)) {
            // Not sent: keep the old baselines so the direct flows' bytes go with the next report.
            // (Default-route bytes were drained: those are lost with the report, and counted there.)
            return -1;
        }
        sequence = seq;
        lastBytes.clear();
        lastBytes.putAll(now);
        return seq;
    }

    private static FlowUsage usage(int vni, int proto, int src, int dst, long bytes) {
        return FlowUsage.newBuilder().setVni(vni).setProtocol(proto).setSrc(src).setDst(dst).setBytes(bytes).build();
    }
}
