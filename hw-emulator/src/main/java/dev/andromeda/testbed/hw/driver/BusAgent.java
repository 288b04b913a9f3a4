package dev.andromeda.testbed.hw.driver;

/**
 * Something attached to a model's ports for a simulation: a source, a sink, a
 * checker. Each cycle the {@link Testbench} calls every agent's
 * {@link #beforeEdge()}, steps the model one rising edge, then calls
 * {@link #afterEdge()}.
 *
 * <p>Outputs of the testbed's blocks depend on registers only, so in
 * {@code beforeEdge()} an agent reads the block's outputs, sets its inputs and
 * knows whether a handshake happens at the coming edge.
 */
public interface BusAgent {
    /** Reads outputs, drives inputs, decides what fires at the coming edge. */
    void beforeEdge(long cycle);

    /** Accounts for what fired at the edge that just happened. */
    default void afterEdge(long cycle) {
    }
}
