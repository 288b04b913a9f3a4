package dev.andromeda.testbed.fastpath.flow;

import java.util.ArrayList;
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
            FirewallPolicy p = new FirewallPolicy(table.policyKind(i), table.ranges(i));
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
        long[] slots = new long[2 * cap];
        long[] records = new long[FlowTable.RECORD_BASE + n * FlowTable.RECORD_LONGS];
        int[] vni = new int[n];
        int[] proto = new int[n];
        int[] src = new int[n];
        int[] dst = new int[n];
        int total = 0;
        for (Key k : order) {
            int c = flows.get(k).policy().ranges().length;
            total += c > FlowTable.INLINE_RANGES ? c : 0;
        }
        int[] overflow = new int[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            Key k = order.get(i);
            Entry e = flows.get(k);
            vni[i] = k.vni();
            proto[i] = k.proto();
            src[i] = k.src();
            dst[i] = k.dst();
            int[] ranges = e.policy().ranges();
            int rec = FlowTable.record(i);
            records[rec + FlowTable.META] = FlowTable.meta(e.action(), e.policy().kind().ordinal(), ranges.length);
            if (ranges.length > FlowTable.INLINE_RANGES) {
                records[rec + FlowTable.OVERFLOW] = at;
                System.arraycopy(ranges, 0, overflow, at, ranges.length);
                at += ranges.length;
            } else {
                for (int j = 0; j < ranges.length; j++) {
                    records[rec + FlowTable.RANGES + (j >> 1)] |= (ranges[j] & 0xFFFFFFFFL) << ((j & 1) << 5);
                }
            }
            int hi = FlowTable.keyHi(k.vni(), k.proto());
            long lo = FlowTable.keyLo(k.src(), k.dst());
            int s = FlowTable.hash(hi, lo) & (cap - 1);
            while (slots[2 * s + 1] != 0) {
                s = (s + 1) & (cap - 1);
            }
            slots[2 * s] = lo;
            slots[2 * s + 1] = (long) hi << 32 | (i + 1);
        }
        int[] ips = new int[hosts.size()];
        long[] hostMacs = new long[hosts.size()];
        for (int h = 0; h < ips.length; h++) {
            ips[h] = hosts.get(h)[0];
            hostMacs[h] = macs.get(h);
        }
        return new FlowTable(slots, records, overflow, vni, proto, src, dst, ips, hostMacs, hoverboards.clone());
    }
}
