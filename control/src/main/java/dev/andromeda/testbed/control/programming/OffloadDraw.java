package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The offload flows a hoverboard network carries at scale, drawn as the
 * hoverboard model decides them: every VM sends to {@code activePeers} peers of
 * its network on other hosts (all of them in a smaller network), each flow's
 * bandwidth drawn from a Pareto distribution (shape {@code shape}, minimum
 * {@code minBps}); the flows above the offload threshold (the paper's 20 kbps,
 * {@link OffloadPlanner#DEFAULT_THRESHOLD_BPS}, the planner's rule) get a
 * direct host-to-host offload flow on the sender. The active-peer count is an
 * assumption, stated wherever the count is reported; the shape and minimum are
 * those of the hoverboard-share run.
 *
 * <p>Drawn once, from the first network state it is asked about; later states
 * (new VMs) keep the same draw, the model skipping offloads a state no longer
 * supports.
 */
public final class OffloadDraw {
    private final int activePeers;
    private final double shape;
    private final double minBps;
    private final double thresholdBps;
    private final long seed;
    private Map<Integer, List<OffloadFlow>> bySender;
    private long drawnFlows;
    private long offloads;

    public OffloadDraw(int activePeers, double shape, double minBps, double thresholdBps, long seed) {
        if (activePeers < 0 || shape <= 0 || minBps <= 0 || thresholdBps <= 0) {
            throw new IllegalArgumentException("active peers >= 0, shape, minimum and threshold > 0");
        }
        this.activePeers = activePeers;
        this.shape = shape;
        this.minBps = minBps;
        this.thresholdBps = thresholdBps;
        this.seed = seed;
    }

    /** The offload flows of each sending host (drawn on the first call). */
    public synchronized Map<Integer, List<OffloadFlow>> bySender(NetworkState state) {
        if (bySender == null) {
            bySender = draw(state);
        }
        return bySender;
    }

    private Map<Integer, List<OffloadFlow>> draw(NetworkState state) {
        Random r = new Random(seed);
        Map<Integer, List<OffloadFlow>> out = new HashMap<>();
        int udp = 17;
        for (Vm s : state.vms()) {
            List<Vm> peers = state.vmsInNetwork(s.vni());
            int n = peers.size();
            // Distinct peers: every other VM of a small network, else a run of activePeers from a random start.
            int start = n - 1 <= activePeers ? 0 : r.nextInt(n);
            int taken = 0;
            for (int k = 0; k < n && taken < activePeers; k++) {
                Vm d = peers.get((start + k) % n);
                if (d.id() == s.id()) {
                    continue;
                }
                taken++;
                drawnFlows++;
                double bps = minBps / Math.pow(1 - r.nextDouble(), 1 / shape); // Pareto by inversion
                if (bps > thresholdBps && d.hostId() != s.hostId()) {
                    out.computeIfAbsent(s.hostId(), h -> new ArrayList<>())
                            .add(new OffloadFlow(s.hostId(), s.vni(), udp, s.ipv4(), d.ipv4()));
                    offloads++;
                }
            }
        }
        return out;
    }

    public int activePeers() {
        return activePeers;
    }

    /** Active flows drawn (0 before the first state). */
    public synchronized long drawnFlows() {
        return drawnFlows;
    }

    /** Offload flows drawn (0 before the first state). */
    public synchronized long offloads() {
        return offloads;
    }

    /** One sentence for reports. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%,d offload flows: each VM sends to up to %,d peers of its"
                + " network (an assumption), Pareto bandwidth shape %.1f min %.0f b/s, offloaded above %.0f kb/s as"
                + " the planner does (%,d active flows drawn)", offloads(), activePeers, shape, minBps,
                thresholdBps / 1000, drawnFlows());
    }
}
