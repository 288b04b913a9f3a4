package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The cycle loop: every agent's {@link BusAgent#beforeEdge}, then -- after
 * {@link HardwareModel#settle()} when {@link #settling(boolean) settling} is on --
 * every agent's {@link BusAgent#sample}, one rising edge, every agent's
 * {@link BusAgent#afterEdge}. Agents run in the order added.
 *
 * <p>Settling costs one evaluation of the model a cycle; it is needed for a design
 * with a combinational path from an input to an output (a user's pass-through block),
 * not for the testbed's blocks, which register every output.
 */
public final class Testbench {
    private final HardwareModel model;
    private final List<BusAgent> agents = new ArrayList<>();
    private BusAgent[] array = new BusAgent[0];
    // The model's cycle count, kept here: asking a native model costs a downcall per cycle.
    private long cycle;
    private boolean settling;

    public Testbench(HardwareModel model) {
        this.model = model;
        this.cycle = model.cycle();
    }

    public Testbench add(BusAgent agent) {
        agents.add(agent);
        array = agents.toArray(new BusAgent[0]);
        return this;
    }

    /** Whether to let the model settle after every agent drove, before they sample (default off). */
    public Testbench settling(boolean on) {
        settling = on;
        return this;
    }

    public HardwareModel model() {
        return model;
    }

    /** Runs one clock cycle. */
    public void cycle() {
        long c = cycle;
        BusAgent[] a = array;
        for (BusAgent agent : a) {
            agent.beforeEdge(c);
        }
        if (settling) {
            model.settle();
        }
        for (BusAgent agent : a) {
            agent.sample(c);
        }
        model.step(1);
        cycle = c + 1;
        for (BusAgent agent : a) {
            agent.afterEdge(c);
        }
    }

    /** Takes the model's cycle count again, after the model was stepped without the loop (a reset). */
    public void resync() {
        cycle = model.cycle();
    }

    /** The current cycle (the model's count, tracked without asking it). */
    public long now() {
        return cycle;
    }

    /**
     * Runs cycles until {@code done} is true.
     *
     * @return the cycles run
     * @throws IllegalStateException after {@code limit} cycles without done: a hang
     */
    public long runUntil(BooleanSupplier done, long limit) {
        long start = cycle;
        while (!done.getAsBoolean()) {
            if (cycle - start >= limit) {
                throw new IllegalStateException(model.block() + " on " + model.backend() + ": not done after "
                        + limit + " cycles (hung at cycle " + cycle + ")");
            }
            cycle();
        }
        return cycle - start;
    }
}
