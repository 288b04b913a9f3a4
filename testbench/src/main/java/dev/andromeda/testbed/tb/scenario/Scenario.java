package dev.andromeda.testbed.tb.scenario;

import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.hw.BlockClocks;

import java.util.List;

/**
 * What {@code tb demo} runs: a virtual network (hosts, hoverboards, VMs,
 * networks with their firewall rules), how the control plane programs it, the
 * traffic, and the stage mixes to run it under. Read from YAML by
 * {@link ScenarioLoader}, which rejects unknown keys and bad values with the
 * file, line and reason; every value here is already validated.
 *
 * @param name          shown in reports
 * @param seed          seeds the traffic (VM placement and flows are derived from it too)
 * @param hosts         VM hosts (each runs VMs of every network)
 * @param hoverboards   hoverboard hosts (no VMs); at least 1 for the hoverboard, gateway and on-demand models
 * @param vmsPerHost    VMs per host in each network
 * @param control       programming model and offload planner settings
 * @param networks      virtual networks, at least one
 * @param traffic       what the VMs send
 * @param mixes         stage mixes in run order; the first is the reference the scoreboard compares with
 *                      (always all-{@code sw}: the loader puts it first when missing)
 * @param clockMHz      0: each block's hardware time at its own clock ({@link BlockClocks}, from its
 *                      synthesis); above 0: every block at this clock
 * @param dataplane     null: the demo's own wiring (memory switch, no VMM hop); else a rung of
 *                      Andromeda's version ladder ({@code LadderRung}'s label: "pre-andromeda",
 *                      "1.0" ... "2.2") the network is wired as, with that rung's stage mix only
 */
public record Scenario(String name, long seed, int hosts, int hoverboards, int vmsPerHost, ControlPlane control,
                       List<Network> networks, Traffic traffic, List<String> mixes, double clockMHz,
                       String dataplane) {

    public Scenario {
        networks = List.copyOf(networks);
        mixes = List.copyOf(mixes);
    }

    /** The clock the stage's block is modelled at: its own, unless the scenario sets one for all. */
    public double clockMHz(Stage stage) {
        return clockMHz > 0 ? clockMHz : BlockClocks.mhz(stage.block());
    }

    /** How the clocks read in a report: "csum_offload 219 MHz, dma_copy 250 MHz, aes_gcm 14 MHz". */
    public String clocksText() {
        StringBuilder b = new StringBuilder();
        for (Stage s : Stage.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(s.block()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.0f", clockMHz(s))).append(" MHz");
        }
        return b.append(clockMHz > 0 ? " (the scenario's clockMHz)" : " (each block's own, from its synthesis)")
                .toString();
    }

    /**
     * @param model              {@code preprogrammed}, {@code hoverboard}, {@code gateway} or {@code on-demand}
     * @param offloadThresholdBps a flow above this rate, measured at the sender, gets a direct offload flow
     *                           (hoverboard model; the paper's 20 kbps)
     * @param intervals          control-plane intervals the traffic is spread over (usage is read and
     *                           offload flows are planned at the end of each)
     * @param intervalSeconds    nominal length of an interval, for rates (simulated time, not wall time)
     * @param idleIntervals      intervals without traffic after which an offload flow is removed
     */
    public record ControlPlane(String model, double offloadThresholdBps, int intervals, double intervalSeconds,
                               int idleIntervals) {
    }

    /**
     * @param name    a label (unique)
     * @param vni     GENEVE virtual network identifier, 1 .. 2^24-1 (unique)
     * @param prefix  the network's IPv4 prefix (address, host bits zero)
     * @param length  its length, 8 .. 30; VMs are numbered from prefix + 1
     * @param psp     whether traffic between hosts is PSP-encrypted
     * @param firewall ingress rules every VM of the network gets; empty = allow nothing
     */
    public record Network(String name, int vni, int prefix, int length, boolean psp, List<Rule> firewall) {
        public Network {
            firewall = List.copyOf(firewall);
        }
    }

    /**
     * An ingress allow rule.
     *
     * @param protocol 6 (tcp), 17 (udp) or -1 (any)
     * @param prefix   allowed source prefix
     * @param length   its length, 0 .. 32
     * @param portLo   destination ports allowed, inclusive
     * @param portHi   inclusive
     */
    public record Rule(int protocol, int prefix, int length, int portLo, int portHi) {
    }

    /**
     * @param packets      packets sent in all, over every flow
     * @param flows        distinct flows (VM pair, protocol, ports) -- every flow sends at least one packet
     * @param flowSizeAlpha Pareto shape of the packets per flow (heavy-tailed: a few flows carry most packets);
     *                     > 0, typically 1.1 .. 2
     * @param tcpShare     fraction of flows that are TCP (the rest UDP), 0 .. 1
     * @param minFrame     smallest frame, bytes (>= 64)
     * @param maxFrame     largest frame, bytes (<= 9,000: jumbo)
     * @param sizes        frame sizes drawn with their weights (each within [minFrame, maxFrame]); a size
     *                     of 0 means uniform in [minFrame, maxFrame]
     */
    public record Traffic(int packets, int flows, double flowSizeAlpha, double tcpShare, int minFrame, int maxFrame,
                          List<WeightedSize> sizes) {
        public Traffic {
            sizes = List.copyOf(sizes);
        }
    }

    public record WeightedSize(int bytes, double weight) {
    }
}
