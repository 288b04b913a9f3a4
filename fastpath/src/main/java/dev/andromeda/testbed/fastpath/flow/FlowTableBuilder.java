package dev.andromeda.testbed.fastpath.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link FlowTable} snapshot off the fast path (control-plane side):
 * add flows and hosts, then {@link #build()}. Adding a flow whose key is
 * already present replaces it.
 */
public final class FlowTableBuilder {
    private record Key(int vni, int proto, int src, int dst) {
    }

    private record Entry(int action, FirewallPolicy policy) {
    }

    private final Map<Key, Entry> flows = new HashMap<>();
    private final List<Key> order = new ArrayList<>();
    private final List<int[]> hosts = new ArrayList<>();   // {ip}
    private final List<Long> macs = new ArrayList<>();
    private int[] hoverboards = new int[0];

    /** A builder holding every flow and host of {@code table}, to change and build anew. */
    public static FlowTableBuilder from(FlowTable table) {
        FlowTableBuilder b = new FlowTableBuilder();
        for (int h = 0; h < table.hosts(); h++) {
            b.host(table.hostIp(h), table.hostMac(h));
        }
        b.hoverboards = table.hoverboards.clone();
        for (int i = 0; i < table.size(); i++) {
            int[] r = Arrays.copyOfRange(table.ranges, table.rangeFrom[i], table.rangeFrom[i] + table.rangeCount[i]);
            FirewallPolicy p = new FirewallPolicy(table.policyKind(i), r);
            b.flow(table.vni(i), table.proto(i), table.src(i), table.dst(i), table.action(i), p);
        }
        return b;
    }

    /** Adds a host encapsulated packets can go to; returns its index for {@link FlowAction#encapToHost}. */
    public int host(int ip, long mac) {
        hosts.add(new int[] {ip});
        macs.add(mac);
        return hosts.size() - 1;
    }

    /** The hosts (by index) that serve the default route. */
    public FlowTableBuilder hoverboards(int... hostIndices) {
        for (int h : hostIndices) {
            if (h < 0 || h >= hosts.size()) {
                throw new IllegalArgumentException("no host " + h);
            }
        }
        this.hoverboards = hostIndices.clone();
        return this;
    }

    /** Adds or replaces a flow. */
    public FlowTableBuilder flow(int vni, int proto, int src, int dst, int action, FirewallPolicy policy) {
        if (vni < 0 || vni > 0xFFFFFF) {
            throw new IllegalArgumentException("VNI is 24 bits: " + vni);
        }
        if (proto < 0 || proto > 255) {
            throw new IllegalArgumentException("protocol is 8 bits: " + proto);
        }
        int kind = FlowAction.kind(action);
        if (kind == FlowAction.ENCAP_HOST && FlowAction.argument(action) >= hosts.size()) {
            throw new IllegalArgumentException("action names host " + FlowAction.argument(action) + "; there are "
                    + hosts.size());
        }
        Key k = new Key(vni, proto, src, dst);
        if (flows.put(k, new Entry(action, policy)) == null) {
            order.add(k);
        }
        return this;
    }

    /** Removes a flow if present. */
    public FlowTableBuilder remove(int vni, int proto, int src, int dst) {
        Key k = new Key(vni, proto, src, dst);
        if (flows.remove(k) != null) {
            order.remove(k);
        }
        return this;
    }

    public int size() {
        return flows.size();
    }

    public FlowTable build() {
        int n = order.size();
        int cap = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1; // load factor at most 1/2
        int[] slotHi = new int[cap];
        long[] slotLo = new long[cap];
        int[] slotIndex = new int[cap];
        Arrays.fill(slotIndex, -1);
        int[] vni = new int[n];
        int[] proto = new int[n];
        int[] src = new int[n];
        int[] dst = new int[n];
        int[] action = new int[n];
        byte[] kind = new byte[n];
        int[] from = new int[n];
        int[] count = new int[n];
        int total = 0;
        for (Key k : order) {
            total += flows.get(k).policy().ranges().length;
        }
        int[] ranges = new int[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            Key k = order.get(i);
            Entry e = flows.get(k);
            vni[i] = k.vni();
            proto[i] = k.proto();
            src[i] = k.src();
            dst[i] = k.dst();
            action[i] = e.action();
            kind[i] = (byte) e.policy().kind().ordinal();
            from[i] = at;
            count[i] = e.policy().ranges().length;
            System.arraycopy(e.policy().ranges(), 0, ranges, at, count[i]);
            at += count[i];
            int hi = FlowTable.keyHi(k.vni(), k.proto());
            long lo = FlowTable.keyLo(k.src(), k.dst());
            int s = FlowTable.hash(hi, lo) & (cap - 1);
            while (slotIndex[s] >= 0) {
                s = (s + 1) & (cap - 1);
            }
            slotHi[s] = hi;
            slotLo[s] = lo;
            slotIndex[s] = i;
        }
        int[] ips = new int[hosts.size()];
        long[] hostMacs = new long[hosts.size()];
        for (int h = 0; h < ips.length; h++) {
            ips[h] = hosts.get(h)[0];
            hostMacs[h] = macs.get(h);
        }
        return new FlowTable(slotHi, slotLo, slotIndex, vni, proto, src, dst, action, kind, from, count, ranges, ips,
                hostMacs, hoverboards.clone());
    }
}
