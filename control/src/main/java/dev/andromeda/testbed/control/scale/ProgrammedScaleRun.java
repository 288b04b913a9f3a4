package dev.andromeda.testbed.control.scale;

import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.NetworkChange;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.CountingSink;
import dev.andromeda.testbed.control.programming.GatewayModel;
import dev.andromeda.testbed.control.programming.HeapSampler;
import dev.andromeda.testbed.control.programming.HostPrograms;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.NetworkSizes;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.programming.ProgrammingModel;
import dev.andromeda.testbed.control.programming.ScaleRun;
import dev.andromeda.testbed.control.rpc.VmController;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The paper's scale run on real programming (Andromeda §5, "40,000-VM network"): the network of
 * {@link ScaleRun#network}, partitioned over {@code partitions} VM controllers by consistent
 * hashing of hosts; each controller is a real {@link VmController} (gRPC server); each host a
 * {@link SimulatedAgents.Agent} on a stream to its partition's controller. For every partition in
 * turn the controller's side computes its hosts' real {@link FlowProgram}s through the model
 * ({@link HostPrograms}), hands them to its {@code VmController}, which encodes and sends each;
 * the agents decode, validate and build a real flow table and ack. Measured: the time from the
 * first program computed to the last ack, per partition and for the network, the program bytes
 * sent, and the heap the controllers keep.
 *
 * <p><b>When the tables do not fit.</b> Programming needs about {@link #BYTES_PER_PROGRAMMED_FLOW}
 * bytes of heap a flow at once (the controller's program, its encoding, the agent's decoded copy
 * and table). When the network's flows exceed what the budget allows (or {@code maxProgrammedFlows}),
 * only a sample is programmed -- the first hosts of partition 0, in host order, up to that many
 * flows -- and time, bytes and heap are extrapolated linearly by flows to the partition and the
 * network; the result says so ({@link Result#extrapolated()}). The network's flows are then the
 * count of the model's flows: exact for the pre-programmed model (every ordered pair of VMs of a
 * network, per protocol), counted through the model into a {@link CountingSink} for the others.
 *
 * <p><b>Time to program a new VM</b> is measured after the network is programmed, in the same
 * network with the same controllers and agents: a VM joins an existing network (a network drawn
 * by size, as a VM would be) on a random host; the state changes, the hosts it touches are
 * recomputed, those whose program changed get it under a new version (a delta, as the controller
 * sends once a host acked), and the time is until every one of them acks.
 *
 * <p>Everything runs in one JVM on this machine's cores: the controllers, which in the paper are
 * separate machines working in parallel, take their turns here, so the network time is the sum of
 * the partitions' times.
 */
public final class ProgrammedScaleRun {
    /**
     * Heap a flow may take while programmed, an estimate with a margin, not a measurement: the
     * controller's decoded flow and its encoding (twice: array and protobuf), the agent's decoded
     * copy, its key check and its table. (The controllers keep about 60 B a flow after a GC.)
     */
    public static final long BYTES_PER_PROGRAMMED_FLOW = 600;
    /** The epoch every controller masters with (one master per partition, no election in this run). */
    static final long EPOCH = 1;

    /** What to run. */
    public record Config(int vms, int hosts, ProgrammingModel model, int partitions, NetworkSizes sizes, long seed,
                         long memoryBudgetBytes, long maxProgrammedFlows, int newVms, int threads) {
        public Config {
            if (vms < 1 || hosts < 2 || partitions < 1 || newVms < 0 || maxProgrammedFlows < 1) {
                throw new IllegalArgumentException("vms >= 1, hosts >= 2, partitions >= 1, new VMs >= 0");
            }
        }
    }

    /**
     * @param flows            the network's flows (programmed when not extrapolated; else the model's count)
     * @param programmedFlows  flows in the tables the agents built
     * @param seconds          network time: measured, or extrapolated from the sample
     * @param bytesSent        program bytes the controllers sent (whole programs and deltas, as protobuf
     *                         {@code bytes} fields), measured or extrapolated
     * @param heapPerPartitionBytes the controllers' retained heap over the partitions programmed, per partition
     *                         (extrapolated to a whole partition when sampled)
     * @param peakHeapBytes    the highest heap in use during the run above the baseline taken before it
     */
    public record Result(String mode, String model, int vms, int hosts, int hoverboards, int networks,
                         String networkSizes, int largestNetwork, long seed, int partitions, boolean extrapolated,
                         int hostsProgrammed, long flows, long programmedFlows, double seconds, double measuredSeconds,
                         double slowestPartitionSeconds, List<Double> perPartitionSeconds, List<Long> perPartitionFlows,
                         long bytesSent, long measuredBytesSent, long heapPerPartitionBytes, long peakHeapBytes,
                         Latency newVm, String statement) {
    }

    /** Time to program a new VM: from the desired state changing to every touched host's ack. */
    public record Latency(int vms, double medianMs, double p99Ms, double maxMs, double hostsPerVm) {
    }

    private ProgrammedScaleRun() {
    }

    public static Result run(Config c) throws IOException, InterruptedException {
        return run(c, ScaleRun.Progress.NONE);
    }

    public static Result run(Config c, ScaleRun.Progress progress) throws IOException, InterruptedException {
        return run(c, progress, null);
    }

    /**
     * As {@link #run(Config, ScaleRun.Progress)}; {@code inspect}, when given, is called once the
     * network and its new VMs are programmed, with the state they were programmed from and the
     * agents, which then keep the tables they built (for tests: a table per host).
     */
    public static Result run(Config c, ScaleRun.Progress progress,
                             java.util.function.BiConsumer<NetworkState, SimulatedAgents> inspect)
            throws IOException, InterruptedException {
        NetworkState state = ScaleRun.network(c.vms(), c.hosts(), c.sizes(), c.seed(), c.model().protocols(), progress);
        ConsistentHashRing ring = ConsistentHashRing.of(c.partitions());
        List<List<Integer>> byPartition = new ArrayList<>();
        for (int p = 0; p < c.partitions(); p++) {
            byPartition.add(new ArrayList<>());
        }
        for (Host h : state.hosts()) {
            byPartition.get(ring.partitionOf(h.id())).add(h.id());
        }
        int largest = 0;
        for (VirtualNetwork n : state.networks()) {
            largest = Math.max(largest, state.vmsInNetwork(n.vni()).size());
        }
        int networks = state.networks().size();
        long[] expected = expectedFlows(state, c.model());
        long total = Arrays.stream(expected).sum();
        long allowed = Math.min(c.maxProgrammedFlows(), c.memoryBudgetBytes() / BYTES_PER_PROGRAMMED_FLOW);
        boolean sample = total > allowed;

        // What is programmed: every partition, or the first hosts of partition 0 up to the allowance.
        List<List<Integer>> programmed = new ArrayList<>();
        if (!sample) {
            programmed.addAll(byPartition);
        } else {
            List<Integer> part0 = new ArrayList<>();
            long f = 0;
            for (int h : byPartition.get(0)) {
                if (!part0.isEmpty() && f + expected[h] > allowed) {
                    break;
                }
                part0.add(h);
                f += expected[h];
            }
            programmed.add(part0);
        }

        HeapSampler heap = HeapSampler.start();
        long baseline = heap.baseline();
        List<VmController> controllers = new ArrayList<>();
        Map<Integer, VmController> controllerOf = new HashMap<>();
        Map<Integer, FlowProgram> running = new HashMap<>();
        List<Double> perPartitionSeconds = new ArrayList<>();
        List<Long> perPartitionFlows = new ArrayList<>();
        long measuredBytes = 0;
        long programmedFlows = 0;
        int hostsProgrammed = 0;
        double measuredSeconds = 0;
        Latency latency = null;
        long controllersHeap;
        try (SimulatedAgents agents = new SimulatedAgents(c.threads(), inspect != null)) {
            for (int p = 0; p < programmed.size(); p++) {
                VmController vmc = new VmController("vmc-" + p, EPOCH);
                controllers.add(vmc);
                for (int h : programmed.get(p)) {
                    controllerOf.put(h, vmc);
                    agents.start(hostName(h), vmc.address());
                }
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            progress.update("connecting agents", 0, 1);
            for (Map.Entry<Integer, VmController> e : controllerOf.entrySet()) {
                while (e.getValue().fencedEpoch(hostName(e.getKey())) != EPOCH) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("host " + e.getKey() + " did not connect within 120 s");
                    }
                    LockSupport.parkNanos(200_000);
                }
            }
            progress.update("connecting agents", 1, 1);
            for (int p = 0; p < programmed.size(); p++) {
                progress.update("programming partitions", p, programmed.size());
                List<Integer> hosts = programmed.get(p);
                VmController vmc = controllers.get(p);
                long t0 = System.nanoTime();
                Map<Integer, FlowProgram> programs = HostPrograms.of(state, c.model(), hosts, 1, EPOCH);
                programs.forEach((h, prog) -> vmc.setProgram(hostName(h), prog));
                awaitAcks(vmc, programs.keySet(), 1);
                double s = (System.nanoTime() - t0) / 1e9;
                measuredSeconds += s;
                perPartitionSeconds.add(s);
                long flows = 0;
                for (int h : hosts) {
                    SimulatedAgents.Agent a = agents.agent(hostName(h));
                    flows += a.tableSize();
                    measuredBytes += vmc.bytesSent(hostName(h));
                }
                perPartitionFlows.add(flows);
                programmedFlows += flows;
                hostsProgrammed += hosts.size();
                running.putAll(programs);
            }
            progress.update("programming partitions", programmed.size(), programmed.size());
            if (!sample && c.newVms() > 0) {
                NetworkState[] last = {state};
                latency = newVmLatency(c, last, running, controllerOf, progress);
                state = last[0];
            }
            if (inspect != null) {
                inspect.accept(state, agents);
            }
            if (agents.streamsBroken() > 0) {
                throw new IllegalStateException(agents.streamsBroken() + " agent streams broke during the run");
            }
        } finally {
            heap.close();
        }
        // The agents are gone: what is left above the baseline is the controllers' (and this run's
        // map of the same programs the controllers hold).
        System.gc();
        controllersHeap = Math.max(0, heap.used() - baseline);
        running.clear();
        for (VmController vmc : controllers) {
            vmc.close();
        }

        double scale = sample ? (double) total / Math.max(1, programmedFlows) : 1;
        double seconds = measuredSeconds * scale;
        long bytes = Math.round(measuredBytes * scale);
        long flows = sample ? total : programmedFlows;
        long heapPerPartition;
        if (sample) {
            long partitionFlows = total / c.partitions();
            heapPerPartition = Math.round(controllersHeap * ((double) partitionFlows / Math.max(1, programmedFlows)));
        } else {
            heapPerPartition = controllersHeap / c.partitions();
        }
        double slowest = perPartitionSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (sample) {
            long part0 = 0;
            for (int h : byPartition.get(0)) {
                part0 += expected[h];
            }
            slowest = measuredSeconds * part0 / Math.max(1, programmedFlows);
        }
        String statement = String.format(Locale.ROOT, "%s, programmed: %,d VMs in %,d networks (%s, largest %,d) over"
                        + " %,d hosts (%d hoverboards), %d partitions: %,d flows, %.2f s to program the network"
                        + " (%.2f s the slowest partition), %.1f MB sent, %.1f MB of controller heap per partition%s",
                c.model().name(), c.vms(), networks, c.sizes(), largest, c.hosts(),
                state.hoverboards().size(), c.partitions(), flows, seconds, slowest, bytes / 1e6, heapPerPartition / 1e6,
                sample ? String.format(Locale.ROOT, " -- EXTRAPOLATED: the tables of %,d flows do not fit %,d MB of"
                                + " heap (about %d B a flow while programmed), so %,d flows on %,d hosts of partition 0"
                                + " were programmed for real in %.2f s (%,d MB sent) and time, bytes and heap scaled"
                                + " by flows", total, c.memoryBudgetBytes() >> 20, BYTES_PER_PROGRAMMED_FLOW,
                        programmedFlows, hostsProgrammed, measuredSeconds, measuredBytes >> 20) : "");
        return new Result("programmed", c.model().name(), c.vms(), c.hosts(), state.hoverboards().size(),
                networks, c.sizes().spec(), largest, c.seed(), c.partitions(), sample, hostsProgrammed,
                flows, programmedFlows, seconds, measuredSeconds, slowest, List.copyOf(perPartitionSeconds),
                List.copyOf(perPartitionFlows), bytes, measuredBytes, heapPerPartition, heap.peak() - baseline, latency,
                statement);
    }

    static String hostName(int hostId) {
        return "host-" + hostId;
    }

    /** Waits until the controller has every host's ack for {@code version} (bounded: 10 minutes). */
    private static void awaitAcks(VmController vmc, java.util.Collection<Integer> hosts, long version) {
        long deadline = System.nanoTime() + 600_000_000_000L;
        for (int h : hosts) {
            while (vmc.convergedVersion(hostName(h)) < version) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("host " + h + " did not ack version " + version + " within 10"
                            + " minutes: " + vmc.lastReject(hostName(h)).map(Object::toString).orElse("no reject"));
                }
                LockSupport.parkNanos(100_000);
            }
        }
    }

    /**
     * Each host's flows as the model emits them, without keeping them: the pre-programmed model's
     * by its definition (each VM of the host, to every other VM of its network, per protocol), the
     * others counted through the model. Hoverboards hold every route.
     */
    static long[] expectedFlows(NetworkState state, ProgrammingModel model) {
        int maxId = 0;
        for (Host h : state.hosts()) {
            maxId = Math.max(maxId, h.id());
        }
        long[] out = new long[maxId + 1];
        if (model instanceof PreProgrammedModel) {
            int protocols = model.protocols().length;
            for (Host h : state.hosts()) {
                long f = 0;
                for (Vm v : state.vmsOnHost(h.id())) {
                    f += (long) (state.vmsInNetwork(v.vni()).size() - 1) * protocols;
                }
                out[h.id()] = f;
            }
            return out;
        }
        CountingSink sink = new CountingSink(maxId);
        model.program(state, sink);
        for (Host h : state.hosts()) {
            out[h.id()] = sink.hostFlows(h.id());
        }
        for (var hb : state.hoverboards()) {
            out[hb.hostId()] += sink.hoverboardRoutes();
        }
        return out;
    }

    /** @param current the state to start from; holds the state with the new VMs on return */
    private static Latency newVmLatency(Config c, NetworkState[] current, Map<Integer, FlowProgram> running,
                                        Map<Integer, VmController> controllerOf, ScaleRun.Progress progress) {
        NetworkState start = current[0];
        Random rnd = new Random(c.seed() + 1);
        List<Vm> all = new ArrayList<>(start.vms());
        List<Integer> vmHosts = new ArrayList<>();
        for (Host h : start.hosts()) {
            if (!start.isHoverboard(h.id())) {
                vmHosts.add(h.id());
            }
        }
        int nextId = all.stream().mapToInt(Vm::id).max().orElse(0) + 1;
        NetworkState state = start;
        long[] ns = new long[c.newVms()];
        long touched = 0;
        for (int i = 0; i < c.newVms(); i++) {
            progress.update("programming new VMs", i, c.newVms());
            Vm peer = all.get(rnd.nextInt(all.size())); // a network drawn by its size
            int host = vmHosts.get(rnd.nextInt(vmHosts.size()));
            int address = state.vmsInNetwork(peer.vni()).stream().mapToInt(Vm::ipv4).max().orElseThrow() + 1;
            Vm vm = new Vm(nextId, peer.vni(), address, 0x020000000000L | nextId, host);
            nextId++;
            long t0 = System.nanoTime();
            state = state.apply(new NetworkChange.AddVm(vm, state.rules(peer.id())));
            Set<Integer> hosts = touchedHosts(state, c.model(), vm);
            Map<Integer, FlowProgram> programs = HostPrograms.of(state, c.model(), hosts, 0, EPOCH);
            Map<VmController, List<Integer>> sent = new HashMap<>();
            Map<Integer, Long> versions = new HashMap<>();
            for (Map.Entry<Integer, FlowProgram> e : programs.entrySet()) {
                FlowProgram old = running.get(e.getKey());
                FlowProgram now = e.getValue();
                if (old.hosts().equals(now.hosts()) && Arrays.equals(old.hoverboards(), now.hoverboards())
                        && old.flows().equals(now.flows())) {
                    continue; // unchanged: nothing to send
                }
                FlowProgram next = now.withVersion(old.version() + 1, EPOCH);
                running.put(e.getKey(), next);
                VmController vmc = controllerOf.get(e.getKey());
                vmc.setProgram(hostName(e.getKey()), next);
                sent.computeIfAbsent(vmc, k -> new ArrayList<>()).add(e.getKey());
                versions.put(e.getKey(), next.version());
            }
            for (Map.Entry<VmController, List<Integer>> e : sent.entrySet()) {
                for (int h : e.getValue()) {
                    awaitAcks(e.getKey(), List.of(h), versions.get(h));
                }
            }
            ns[i] = System.nanoTime() - t0;
            touched += versions.size();
            all.add(vm);
        }
        progress.update("programming new VMs", c.newVms(), c.newVms());
        current[0] = state;
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return new Latency(n, sorted[n / 2] / 1e6, sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6,
                sorted[n - 1] / 1e6, (double) touched / n);
    }

    /**
     * The hosts whose programs a new VM can change: for the hoverboard and gateway models (no
     * offload flows here) its own host and the hoverboards; for any model, every host with a VM of
     * its network (flows never cross networks), its host and the hoverboards.
     */
    static Set<Integer> touchedHosts(NetworkState state, ProgrammingModel model, Vm vm) {
        Set<Integer> out = new LinkedHashSet<>();
        out.add(vm.hostId());
        state.hoverboards().forEach(h -> out.add(h.hostId()));
        if (!(model instanceof HoverboardModel || model instanceof GatewayModel)) {
            for (Vm v : state.vmsInNetwork(vm.vni())) {
                out.add(v.hostId());
            }
        }
        return out;
    }
}
