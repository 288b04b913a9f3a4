package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.Hoverboard;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The scale computation (Andromeda §5's "40,000-VM network"): builds a seeded
 * network of {@code vms} VMs over {@code hosts} hosts, programs it through the
 * real {@link ProgrammingModel} code into a {@link CountingSink} (no
 * {@code FlowTable} is built; each flow costs a counter increment), and reports
 * flows, wall time, peak heap and flows per partition.
 *
 * <p>The network: {@value #HOVERBOARDS} hosts are hoverboards (a small, dedicated
 * pool of gateways, as in Andromeda) and run no VMs; VMs form networks of {@code networkSize} (default 50) -- VNI k, addresses
 * 10.0.0.1.. in 10.0.0.0/16 (every network reuses that space) -- each VM on a
 * uniformly random non-hoverboard host; every VM allows its network's prefix
 * (any protocol), and one network in ten only TCP 22 and 443 instead.
 *
 * <p>Peak heap ({@link HeapSampler}): {@link MemoryMXBean#getHeapMemoryUsage()} used bytes, sampled
 * before programming (after a {@code System.gc()} request, so the baseline holds
 * little garbage), every millisecond by a daemon sampler thread while
 * programming, and after it; the maximum is reported. It is heap in use
 * (including garbage not yet collected), so it bounds what the run needed
 * from above, and includes the network state itself.
 *
 * <p>Before programming a pre-programmed model, the flows are estimated
 * (sum over networks of n(n-1) per protocol) and, if the flow tables they
 * need ({@value #BYTES_PER_FLOW} B a flow in a {@code FlowTable}) exceed the memory
 * budget, the run stops and says what it would need.
 *
 * <p>The network itself must fit the heap too: {@link #networkBytes} estimates it from
 * measured costs, and a run whose network would not fit is refused before anything is built,
 * instead of ending in an {@code OutOfMemoryError} after minutes (issue 15).
 */
public final class ScaleRun {
    /** A flow in a built FlowTable: 2-4 hash slots of 16 B, 7 ints and a byte of fields, 2 long counters. */
    public static final long BYTES_PER_FLOW = 96;
    public static final long DEFAULT_MEMORY_BUDGET = 512L << 20;
    public static final int DEFAULT_NETWORK_SIZE = 50;
    public static final long DEFAULT_SEED = 20180409L;
    /** Hoverboards in the network; each holds every route, and each of its entries counts as a flow. */
    public static final int HOVERBOARDS = 4;
    /**
     * Heap a VM of the network takes at the run's peak, when {@code NetworkState.Builder.build()}
     * copies the builder's maps: measured as the smallest {@code -Xmx} (JDK 25, G1) in steps of
     * 100 MB under which a hoverboard run of 1,000,000 VMs over 1,000 hosts completes (600 MB;
     * 500 MB ran out), with a margin for other collectors.
     */
    public static final long BYTES_PER_VM = 700;
    /** As {@link #BYTES_PER_VM}, per host: 1,000,000 VMs over 1,000,000 hosts needed 800 MB (700 MB ran out). */
    public static final long BYTES_PER_HOST = 300;

    public static final String COUNTING = "flows = host flows (one per (host, VNI, protocol, source VM, destination VM)"
            + " entry a host's FlowTable would hold; default routes are not flows) + hoverboard entries (one route per"
            + " (VNI, destination VM) on every hoverboard: routes x hoverboards); per-partition counts are host flows"
            + " of the hosts each partition owns";

    /**
     * @param completed     false when the estimate exceeded the budget and nothing was programmed
     * @param perPartition  host flows per partition, by partition 0..P-1
     */
    public record Result(String model, int vms, int hosts, int hoverboards, int networks, long seed,
                         boolean completed, long flows, long hostFlows, long hoverboardRoutes,
                         long hoverboardEntries, long maxHostFlows, long estimatedFlows, double seconds,
                         double buildSeconds, long baselineHeapBytes, long peakHeapBytes,
                         List<Long> perPartition, String counting, String statement) {
    }

    /** Where a long run says how far it is; called often from the running thread, so the receiver rate-limits. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (phase, done, total) -> {
        };

        void update(String phase, long done, long total);
    }

    /** Progress is reported every this many VMs, hosts or hoverboard routes: a mask, so a bit test per item. */
    private static final int PROGRESS_EVERY = (1 << 16) - 1;

    private ScaleRun() {
    }

    /** The heap the network of {@code vms} VMs over {@code hosts} hosts needs at its peak (see {@link #BYTES_PER_VM}). */
    public static long networkBytes(int vms, int hosts) {
        return vms * BYTES_PER_VM + hosts * BYTES_PER_HOST;
    }

    public static Result run(int vms, int hosts, ProgrammingModel model, int partitions) {
        return run(vms, hosts, model, partitions, DEFAULT_NETWORK_SIZE, DEFAULT_SEED, DEFAULT_MEMORY_BUDGET);
    }

    public static Result run(int vms, int hosts, ProgrammingModel model, int partitions, int networkSize, long seed,
                             long memoryBudgetBytes) {
        return run(vms, hosts, model, partitions, networkSize, seed, memoryBudgetBytes, Progress.NONE);
    }

    /**
     * @throws IllegalArgumentException for sizes out of range, or a network that would not fit
     *                                  {@code memoryBudgetBytes} ({@link #networkBytes})
     */
    public static Result run(int vms, int hosts, ProgrammingModel model, int partitions, int networkSize, long seed,
                             long memoryBudgetBytes, Progress progress) {
        if (networkSize < 1) {
            throw new IllegalArgumentException("vms >= 1, hosts >= 2, partitions >= 1, network size >= 1");
        }
        return run(vms, hosts, model, partitions, NetworkSizes.fixed(networkSize), seed, memoryBudgetBytes, progress);
    }

    public static Result run(int vms, int hosts, ProgrammingModel model, int partitions, NetworkSizes sizes, long seed,
                             long memoryBudgetBytes, Progress progress) {
        if (vms < 1 || hosts < 2 || partitions < 1) {
            throw new IllegalArgumentException("vms >= 1, hosts >= 2, partitions >= 1, network size >= 1");
        }
        if (networkBytes(vms, hosts) > memoryBudgetBytes) {
            throw new IllegalArgumentException(String.format("%,d VMs over %,d hosts need about %,d MB of heap,"
                    + " over the budget of %,d MB", vms, hosts, networkBytes(vms, hosts) >> 20, memoryBudgetBytes >> 20));
        }
        long t0 = System.nanoTime();
        NetworkState state = network(vms, hosts, sizes, seed, model.protocols(), progress);
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        int hb = state.hoverboards().size();
        int networks = state.networks().size();

        long estimate = -1;
        if (model instanceof PreProgrammedModel) {
            estimate = 0;
            for (VirtualNetwork n : state.networks()) {
                long size = state.vmsInNetwork(n.vni()).size();
                estimate += size * (size - 1) * model.protocols().length;
            }
            long need = estimate * BYTES_PER_FLOW;
            if (need > memoryBudgetBytes) {
                String s = String.format("%s at %d VMs / %d hosts would need about %,d flows, about %,d MB of flow"
                                + " tables at %d B a flow (plus the controller's copy while building), over the budget"
                                + " of %,d MB: not programmed", model.name(), vms, hosts, estimate, need >> 20,
                        BYTES_PER_FLOW, memoryBudgetBytes >> 20);
                return new Result(model.name(), vms, hosts, hb, networks, seed, false, 0, 0, 0, 0, 0, estimate, 0,
                        buildSeconds, 0, 0, List.of(), COUNTING, s);
            }
        }

        HeapSampler heap = HeapSampler.start();
        CountingSink sink = new CountingSink(hosts - 1);
        ProgressSink watched = new ProgressSink(sink, progress, hosts, vms);
        long t1 = System.nanoTime();
        try {
            model.program(state, watched);
        } finally {
            heap.close();
        }
        double seconds = (System.nanoTime() - t1) / 1e9;
        long baseline = heap.baseline();
        long peakHeap = heap.peak();

        ConsistentHashRing ring = ConsistentHashRing.of(partitions);
        long[] perPartition = new long[partitions];
        long max = 0;
        for (Host h : state.hosts()) {
            long f = sink.hostFlows(h.id());
            perPartition[ring.partitionOf(h.id())] += f;
            max = Math.max(max, f);
        }
        List<Long> pp = new ArrayList<>();
        for (long f : perPartition) {
            pp.add(f);
        }
        long routes = sink.hoverboardRoutes();
        long flows = sink.hostFlows() + routes * hb;
        String s = String.format("%s: %,d VMs in %d networks over %,d hosts (%d hoverboards): %,d flows (%,d on"
                        + " hosts, %,d hoverboard routes) in %.3f s, peak heap %,d MB", model.name(), vms, networks,
                hosts, hb, flows, sink.hostFlows(), routes, seconds, peakHeap >> 20);
        return new Result(model.name(), vms, hosts, hb, networks, seed, true, flows, sink.hostFlows(), routes,
                routes * hb, max, estimate, seconds, buildSeconds, baseline, peakHeap, Collections.unmodifiableList(pp),
                COUNTING, s);
    }

    /** The seeded network a run programs (public so tests can program a host of it into real tables). */
    public static NetworkState network(int vms, int hosts, int networkSize, long seed, int[] protocols) {
        return network(vms, hosts, NetworkSizes.fixed(networkSize), seed, protocols, Progress.NONE);
    }

    /** The seeded network with network sizes drawn from {@code sizes} (one draw per network, in VNI order). */
    public static NetworkState network(int vms, int hosts, NetworkSizes sizes, long seed, int[] protocols) {
        return network(vms, hosts, sizes, seed, protocols, Progress.NONE);
    }

    public static NetworkState network(int vms, int hosts, NetworkSizes sizes, long seed, int[] protocols,
                                       Progress progress) {
        Random rnd = new Random(seed);
        NetworkState.Builder b = NetworkState.builder();
        for (int h = 0; h < hosts; h++) {
            if ((h & PROGRESS_EVERY) == 0) {
                progress.update("building the network: hosts", h, hosts);
            }
            b.host(new Host(h, 0xAC100000 + h, 0x040000000000L | h));
        }
        int hb = Math.min(hosts - 1, HOVERBOARDS);
        List<Integer> ids = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            ids.add(h);
        }
        Collections.shuffle(ids, rnd);
        boolean[] isHb = new boolean[hosts];
        for (int i = 0; i < hb; i++) {
            isHb[ids.get(i)] = true;
            b.hoverboard(new Hoverboard(ids.get(i)));
        }
        int[] vmHosts = new int[hosts - hb];
        for (int h = 0, k = 0; h < hosts; h++) {
            if (!isHb[h]) {
                vmHosts[k++] = h;
            }
        }
        int prefix = 0x0A000000;
        List<FirewallRule> open = List.of(new FirewallRule(FirewallRule.ANY, prefix, 16, 0, 0xFFFF, false));
        List<FirewallRule> web = List.of(new FirewallRule(6, prefix, 16, 22, 22, false),
                new FirewallRule(6, prefix, 16, 443, 443, true));
        int vm = 0;
        for (int n = 0; vm < vms; n++) {
            int vni = n + 1;
            int networkSize = sizes.next(rnd);
            b.network(new VirtualNetwork(vni, new VirtualNetwork.Prefix(prefix, 16)));
            List<FirewallRule> rules = n % 10 == 9 ? web : open;
            for (int k = 0; k < networkSize && vm < vms; k++, vm++) {
                if ((vm & PROGRESS_EVERY) == 0) {
                    progress.update("building the network: VMs", vm, vms);
                }
                int host = vmHosts[rnd.nextInt(vmHosts.length)];
                b.vm(new Vm(vm, vni, prefix + k + 1, 0x020000000000L | vm, host), rules);
            }
        }
        progress.update("building the network: indexes", 0, 1);
        NetworkState state = b.build();
        progress.update("building the network: indexes", 1, 1);
        return state;
    }

    /**
     * Passes everything on to the counting sink and reports the hosts programmed so far (models
     * program one host after another, in host order) and then the hoverboard routes (one per VM).
     * One comparison per flow on the measured path; a report every 256 hosts or 65,536 routes.
     */
    private static final class ProgressSink implements FlowSink {
        private final FlowSink sink;
        private final Progress progress;
        private final int hosts;
        private final int vms;
        private int lastHost = -1;
        private int hostsSeen;
        private long routes;

        ProgressSink(FlowSink sink, Progress progress, int hosts, int vms) {
            this.sink = sink;
            this.progress = progress;
            this.hosts = hosts;
            this.vms = vms;
        }

        private void host(int hostId) {
            if (hostId != lastHost) {
                lastHost = hostId;
                // Every 256 hosts: a run of few hosts spends long on each (pre-programmed, big networks).
                if ((hostsSeen++ & 0xFF) == 0) {
                    progress.update("programming hosts", Math.min(hostsSeen, hosts), hosts);
                }
            }
        }

        @Override
        public void flow(int hostId, int vni, int proto, int src, int dst, int actionKind, int argument,
                         FirewallPolicy policy) {
            host(hostId);
            sink.flow(hostId, vni, proto, src, dst, actionKind, argument, policy);
        }

        @Override
        public void defaultRoute(int hostId, int[] hoverboardHostIds) {
            host(hostId);
            sink.defaultRoute(hostId, hoverboardHostIds);
        }

        @Override
        public void hoverboardRoute(int vni, int dst, int dstHostId) {
            if ((routes++ & PROGRESS_EVERY) == 0) {
                progress.update("programming hoverboard routes", Math.min(routes, vms), vms);
            }
            sink.hoverboardRoute(vni, dst, dstHostId);
        }
    }
}
