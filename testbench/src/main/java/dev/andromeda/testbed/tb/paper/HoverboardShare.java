package dev.andromeda.testbed.tb.paper;

import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.programming.HostPrograms;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.NetworkSizes;
import dev.andromeda.testbed.control.programming.OffloadPlanner;
import dev.andromeda.testbed.control.programming.ProgrammingModel;
import dev.andromeda.testbed.control.programming.ScaleRun;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The hoverboards' share of traffic against the number of offload flows (issue 13 point 2).
 * Thousands of UDP flows between VMs of a network on different hosts, each with a bandwidth drawn
 * from a Pareto distribution of shape {@value #SHAPE} and minimum {@value #MIN_BPS} bits/s
 * (a stated shape, not a measured distribution: flow bandwidth in data centres is reported to be
 * heavy-tailed, and shapes near 1 are the usual modelling choice). For each offload threshold the
 * real {@link OffloadPlanner} gets one interval of usage reports and decides the offload flows;
 * the real {@link HoverboardModel} then computes every host's program, which is built into a real
 * {@link FlowTable}; each flow's bytes go where its sender's table sends them -- a direct flow, or
 * a miss to the default route, the hoverboards. The share is the hoverboards' bytes over all.
 *
 * <p>Bytes are routed by the tables' lookups, not sent as packets through the dataplane.
 */
public final class HoverboardShare {
    public static final double SHAPE = 1.1;
    public static final double MIN_BPS = 1_000;
    /** Thresholds swept, bits/s, from none offloaded upwards; 20 kbps is the paper's and the planner's default. */
    static final double[] THRESHOLDS = {Double.MAX_VALUE / 16, 5e6, 1e6, 2e5, 1e5, 5e4, 2e4, 1e4, 5e3, 2e3};

    public record Point(double thresholdBps, int offloadFlows, double hoverboardShare) {
    }

    public record Result(int flows, double shape, double minBps, long seed, List<Point> curve,
                         double shareAtDefault, int offloadsAtDefault) {
    }

    private record Flow(Vm src, Vm dst, double bps) {
    }

    private HoverboardShare() {
    }

    public static Result run(int flowCount, long seed) {
        int[] udp = {17};
        NetworkState state = ScaleRun.network(4_000, 400, NetworkSizes.fixed(50), seed, udp);
        Random rnd = new Random(seed);
        List<Vm> vms = new ArrayList<>(state.vms());
        List<Flow> flows = new ArrayList<>();
        java.util.Set<Long> pairs = new java.util.HashSet<>();
        while (flows.size() < flowCount) {
            Vm s = vms.get(rnd.nextInt(vms.size()));
            List<Vm> peers = state.vmsInNetwork(s.vni());
            Vm d = peers.get(rnd.nextInt(peers.size()));
            if (d.hostId() == s.hostId() || !pairs.add((long) s.id() << 32 | d.id())) {
                continue; // local pairs never reach a hoverboard; each pair once
            }
            double bps = MIN_BPS / Math.pow(1 - rnd.nextDouble(), 1 / SHAPE); // Pareto by inversion
            flows.add(new Flow(s, d, bps));
        }
        List<Point> curve = new ArrayList<>();
        for (double threshold : THRESHOLDS) {
            long[] clock = {0};
            OffloadPlanner planner = new OffloadPlanner(threshold, 1, () -> clock[0]);
            for (Flow f : flows) {
                planner.report(f.src().hostId(), f.src().vni(), 17, f.src().ipv4(), f.dst().ipv4(),
                        Math.round(f.bps() / 8)); // one second of traffic
            }
            clock[0] = 1_000_000_000L;
            planner.endInterval();
            ProgrammingModel model = new HoverboardModel(udp, planner::active);
            Map<Integer, FlowProgram> programs = HostPrograms.of(state, model, 1, 1);
            Map<Integer, FlowTable> tables = new HashMap<>();
            double all = 0;
            double viaHoverboards = 0;
            for (Flow f : flows) {
                FlowTable t = tables.computeIfAbsent(f.src().hostId(), h -> programs.get(h).toFlowTable());
                int i = t.lookup(f.src().vni(), 17, f.src().ipv4(), f.dst().ipv4());
                all += f.bps();
                if (i == FlowTable.MISS) {
                    viaHoverboards += f.bps(); // no flow: the default route, to a hoverboard
                } else if (FlowAction.kind(t.action(i)) != FlowAction.ENCAP_HOST) {
                    throw new IllegalStateException("a remote pair's flow must encapsulate to its host: " + f);
                }
            }
            curve.add(new Point(threshold, planner.active().size(), viaHoverboards / all));
        }
        Point dflt = curve.stream().filter(p -> p.thresholdBps() == OffloadPlanner.DEFAULT_THRESHOLD_BPS)
                .findFirst().orElseThrow();
        return new Result(flowCount, SHAPE, MIN_BPS, seed, curve, dflt.hoverboardShare(), dflt.offloadFlows());
    }
}
