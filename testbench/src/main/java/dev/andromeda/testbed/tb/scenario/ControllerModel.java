package dev.andromeda.testbed.tb.scenario;

import dev.andromeda.testbed.control.programming.GatewayModel;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.OffloadPlanner;
import dev.andromeda.testbed.control.programming.OnDemandModel;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.programming.ProgrammingModel;

import java.util.function.LongSupplier;

/**
 * The programming model a scenario's control plane names, as a VM controller runs it (the demo's
 * in one JVM and {@code tb vmc}'s alike): the model, and for the hoverboard model the offload
 * planner whose active flows it programs (null otherwise). The on-demand model is told of each
 * miss by the hosts ({@code MissReporter}) over their programming streams.
 */
public record ControllerModel(ProgrammingModel model, OffloadPlanner planner) {

    /**
     * Each tenant's flow misses a second the on-demand controller resolves, and the burst it may
     * save (the rate {@code tb control-scale --model on-demand} runs too). A miss over it is not
     * lost: its flow keeps going through the hoverboards until a later miss is resolved.
     */
    static final double MISSES_PER_SECOND = 1_000;
    static final double MISS_BURST = 100;

    /**
     * @param clock the planner's and the miss rate limit's clock (the demo's simulated one, or
     *              System::nanoTime)
     * @throws IllegalArgumentException for a model a controller cannot run from a scenario
     */
    public static ControllerModel of(Scenario.ControlPlane c, LongSupplier clock) {
        return switch (c.model()) {
            case "hoverboard" -> {
                OffloadPlanner planner = new OffloadPlanner(c.offloadThresholdBps(), c.idleIntervals(), clock);
                yield new ControllerModel(new HoverboardModel(ProgrammingModel.DEFAULT_PROTOCOLS, planner::active),
                        planner);
            }
            case "gateway" -> new ControllerModel(new GatewayModel(), null);
            case "preprogrammed" -> new ControllerModel(new PreProgrammedModel(), null);
            // A scenario's network always has hoverboards for it (ScenarioLoader): a flow's packets
            // go through them while its miss is resolved, so none is dropped for want of a flow.
            case "on-demand" -> new ControllerModel(OnDemandModel.viaHoverboards(MISSES_PER_SECOND, MISS_BURST,
                    clock), null);
            default -> throw new IllegalArgumentException("programming model '" + c.model()
                    + "' cannot run from a scenario (preprogrammed, hoverboard, gateway, on-demand)");
        };
    }
}
