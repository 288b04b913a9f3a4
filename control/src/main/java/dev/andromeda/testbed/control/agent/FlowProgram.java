package dev.andromeda.testbed.control.agent;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A host's complete programmed state as plain data: the host table (where
 * ENCAP actions go), the hoverboards of the default route, every flow, the
 * program's {@code version} and the controller {@code epoch} that wrote it.
 * What a controller sends, what a {@link HostAgent} validates and publishes as
 * a {@link FlowTable}, and what {@link Checkpoints} writes to disk.
 *
 * <p>Immutable; arrays are copied in and out.
 */
public final class FlowProgram {
    /** The state of a host nobody has programmed: version 0, epoch 0, nothing in it. */
    public static final FlowProgram EMPTY = new FlowProgram(0, 0, List.of(), new int[0], List.of());

    /** One entry of the host table; its position is the index ENCAP_HOST actions name. */
    public record HostEntry(int ip, long mac) {
    }

    /**
     * One flow: its key, its packed {@link FlowAction} and its pre-computed firewall.
     *
     * @param ranges port ranges as {@code lo << 16 | hi} (see {@link FirewallPolicy})
     */
    public record Flow(int vni, int proto, int src, int dst, int action, FirewallPolicy.Kind policyKind,
                       int[] ranges) {
        public Flow {
            Objects.requireNonNull(policyKind, "policyKind");
            ranges = ranges.clone();
        }

        public Flow(int vni, int proto, int src, int dst, int action, FirewallPolicy policy) {
            this(vni, proto, src, dst, action, policy.kind(), policy.ranges());
        }

        @Override
        public int[] ranges() {
            return ranges.clone();
        }

        public FirewallPolicy policy() {
            return new FirewallPolicy(policyKind, ranges.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Flow f && vni == f.vni && proto == f.proto && src == f.src && dst == f.dst
                    && action == f.action && policyKind == f.policyKind && Arrays.equals(ranges, f.ranges);
        }

        @Override
        public int hashCode() {
            return Objects.hash(vni, proto, src, dst, action, policyKind) * 31 + Arrays.hashCode(ranges);
        }

        @Override
        public String toString() {
            return "Flow[vni=" + vni + ", proto=" + proto + ", src=" + Integer.toHexString(src) + ", dst="
                    + Integer.toHexString(dst) + ", " + FlowAction.toString(action) + ", " + policyKind
                    + Arrays.toString(ranges) + "]";
        }
    }

    private static final int FLOW_BYTES_MIN = 4 * 5 + 1 + 4;

    private final long version;
    private final long epoch;
    private final List<HostEntry> hosts;
    private final int[] hoverboards;
    private final List<Flow> flows;

    public FlowProgram(long version, long epoch, List<HostEntry> hosts, int[] hoverboards, List<Flow> flows) {
        this.version = version;
        this.epoch = epoch;
        this.hosts = List.copyOf(hosts);
        this.hoverboards = hoverboards.clone();
        this.flows = List.copyOf(flows);
    }

    public static Builder builder(long version, long epoch) {
        return new Builder(version, epoch);
    }

    public long version() {
        return version;
    }

    public long epoch() {
        return epoch;
    }

    public List<HostEntry> hosts() {
        return hosts;
    }

    public int[] hoverboards() {
        return hoverboards.clone();
    }

    public List<Flow> flows() {
        return flows;
    }

    /** The same state under another version and epoch (a controller re-sending it). */
    public FlowProgram withVersion(long newVersion, long newEpoch) {
        return new FlowProgram(newVersion, newEpoch, hosts, hoverboards, flows);
    }

    /**
     * Validates the program and builds the flow table the dataplane runs.
     *
     * @throws IllegalArgumentException naming the first thing wrong: a flow key outside its
     *                                  field (VNI is 24 bits, protocol 8), an action of unknown
     *                                  kind or naming a host or hoverboard that does not exist,
     *                                  a flow key given twice, port ranges not sorted and disjoint
     */
    public FlowTable toFlowTable() {
        FlowTableBuilder b = new FlowTableBuilder();
        for (HostEntry h : hosts) {
            b.host(h.ip(), h.mac());
        }
        b.hoverboards(hoverboards);
        FlowKeySet keys = new FlowKeySet(flows.size());
        for (int i = 0; i < flows.size(); i++) {
            Flow f = flows.get(i);
            try {
                int kind = FlowAction.kind(f.action());
                if (kind > FlowAction.INTERNET) {
                    throw new IllegalArgumentException("unknown action kind " + kind);
                }
                checkRanges(f.policyKind(), f.ranges);
                if (!keys.add(f.vni(), f.proto(), f.src(), f.dst())) {
                    throw new IllegalArgumentException("flow key given twice");
                }
                b.flow(f.vni(), f.proto(), f.src(), f.dst(), f.action(), f.policy());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("flow " + i + " " + f + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static void checkRanges(FirewallPolicy.Kind kind, int[] ranges) {
        switch (kind) {
            case ALLOW_ALL, DENY -> {
                if (ranges.length != 0) {
                    throw new IllegalArgumentException(kind + " takes no port ranges");
                }
            }
            case PORT_RANGES, STATEFUL -> {
                int previousHi = -1;
                for (int r : ranges) {
                    int lo = r >>> 16;
                    int hi = r & 0xFFFF;
                    if (lo > hi || lo <= previousHi) {
                        throw new IllegalArgumentException("port ranges must be sorted and disjoint, lo <= hi: "
                                + lo + ".." + hi + " after .." + previousHi);
                    }
                    previousHi = hi;
                }
            }
        }
    }

    /** Flows by (vni, protocol, source, destination), unsigned: the order {@link #contentDigest()} reads them in. */
    private static final java.util.Comparator<Flow> FLOW_KEY_ORDER = java.util.Comparator
            .comparingInt(Flow::vni)
            .thenComparingInt(Flow::proto)
            .thenComparing((a, b) -> Integer.compareUnsigned(a.src(), b.src()))
            .thenComparing((a, b) -> Integer.compareUnsigned(a.dst(), b.dst()));

    /**
     * SHA-256 of the program's content -- host table, hoverboards, flows -- without its version
     * and epoch: what a controller compares to know whether a host runs what it would send.
     */
    public byte[] contentDigest() {
        // Flows in key order: a program built by applying deltas holds the same flows in another
        // order, and must digest the same as the whole program (the host table's order is content:
        // flow actions index it).
        List<Flow> sorted = new ArrayList<>(flows);
        sorted.sort(FLOW_KEY_ORDER);
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(new FlowProgram(0, 0, hosts, hoverboards, sorted).encode());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** The compact binary form (big-endian, what {@link Checkpoints} stores as the body). */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + flows.size() * 28);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(version);
            out.writeLong(epoch);
            out.writeInt(hosts.size());
            for (HostEntry h : hosts) {
                out.writeInt(h.ip());
                out.writeLong(h.mac());
            }
            out.writeInt(hoverboards.length);
            for (int h : hoverboards) {
                out.writeInt(h);
            }
            out.writeInt(flows.size());
            for (Flow f : flows) {
                out.writeInt(f.vni());
                out.writeInt(f.proto());
                out.writeInt(f.src());
                out.writeInt(f.dst());
                out.writeInt(f.action());
                out.writeByte(f.policyKind().ordinal());
                out.writeInt(f.ranges.length);
                for (int r : f.ranges) {
                    out.writeInt(r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads what {@link #encode()} wrote. Counts are checked against the bytes
     * left, so a damaged length cannot make it allocate without bound.
     *
     * @throws IOException when the bytes are not one whole program (short, too long, bad field)
     */
    public static FlowProgram decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        try {
            long version = in.readLong();
            long epoch = in.readLong();
            int nHosts = count(in, 12, "hosts");
            List<HostEntry> hosts = new ArrayList<>(nHosts);
            for (int i = 0; i < nHosts; i++) {
                hosts.add(new HostEntry(in.readInt(), in.readLong()));
            }
            int nHover = count(in, 4, "hoverboards");
            int[] hover = new int[nHover];
            for (int i = 0; i < nHover; i++) {
                hover[i] = in.readInt();
            }
            int nFlows = count(in, FLOW_BYTES_MIN, "flows");
            List<Flow> flows = new ArrayList<>(nFlows);
            FirewallPolicy.Kind[] kinds = FirewallPolicy.Kind.values();
            for (int i = 0; i < nFlows; i++) {
                int vni = in.readInt();
                int proto = in.readInt();
                int src = in.readInt();
                int dst = in.readInt();
                int action = in.readInt();
                int kind = in.readUnsignedByte();
                if (kind >= kinds.length) {
                    throw new IOException("flow " + i + ": unknown firewall kind " + kind);
                }
                int[] ranges = new int[count(in, 4, "port ranges")];
                for (int r = 0; r < ranges.length; r++) {
                    ranges[r] = in.readInt();
                }
                flows.add(new Flow(vni, proto, src, dst, action, kinds[kind], ranges));
            }
            if (in.available() != 0) {
                throw new IOException(in.available() + " bytes after the program");
            }
            return new FlowProgram(version, epoch, hosts, hover, flows);
        } catch (EOFException e) {
            throw new IOException("program ends early", e);
        }
    }

    private static int count(DataInputStream in, int minBytesEach, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * minBytesEach > in.available()) {
            throw new IOException("bad count of " + what + ": " + n + " with " + in.available() + " bytes left");
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowProgram p && version == p.version && epoch == p.epoch && hosts.equals(p.hosts)
                && Arrays.equals(hoverboards, p.hoverboards) && flows.equals(p.flows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, epoch, hosts, flows) * 31 + Arrays.hashCode(hoverboards);
    }

    @Override
    public String toString() {
        return "FlowProgram[version=" + version + ", epoch=" + epoch + ", hosts=" + hosts.size() + ", hoverboards="
                + Arrays.toString(hoverboards) + ", flows=" + flows.size() + "]";
    }

    /** Collects a program; {@link #build()} does not validate ({@link #toFlowTable()} does). */
    public static final class Builder {
        private final long version;
        private final long epoch;
        private final List<HostEntry> hosts = new ArrayList<>();
        private int[] hoverboards = new int[0];
        private final List<Flow> flows = new ArrayList<>();

        private Builder(long version, long epoch) {
            this.version = version;
            this.epoch = epoch;
        }

        /** Adds a host; its index is the number of hosts added before it. */
        public Builder host(int ip, long mac) {
            hosts.add(new HostEntry(ip, mac));
            return this;
        }

        public Builder hoverboards(int... hostIndices) {
            this.hoverboards = hostIndices.clone();
            return this;
        }

        public Builder flow(int vni, int proto, int src, int dst, int action, FirewallPolicy policy) {
            flows.add(new Flow(vni, proto, src, dst, action, policy));
            return this;
        }

        public Builder flow(Flow flow) {
            flows.add(flow);
            return this;
        }

        public FlowProgram build() {
            return new FlowProgram(version, epoch, hosts, hoverboards, flows);
        }
    }
}
