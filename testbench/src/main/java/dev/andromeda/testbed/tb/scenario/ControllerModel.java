package dev.andromeda.testbed.tb.scenario;

import dev.andromeda.testbed.control.programming.GatewayModel;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.OffloadPlanner;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.programming.ProgrammingModel;

import java.util.function.LongSupplier;

/**
 * The programming model a scenario's control plane names, as a VM controller runs it (the demo's
 * in one JVM and {@code tb vmc}'s alike): the model, and for the hoverboard model the offload
 * planner whose active flows it programs (null otherwise).
 */
public record ControllerModel(ProgrammingModel model, OffloadPlanner planner) {

    /**
     * @param clock the planner's clock (the demo's simulated one, or System::nanoTime)
     * @throws IllegalArgumentException for a model a controller cannot run from a scenario (on-demand)
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
            default -> throw new IllegalArgumentException("programming model '" + c.model()
                    + "' cannot run from a scenario (preprogrammed, hoverboard, gateway)");
        };
    }
}
