package dev.andromeda.testbed.hw.driver;

/**
 * Something attached to a model's ports for a simulation: a source, a sink, a
 * checker. Each cycle the {@link Testbench} calls every agent's
 * {@link #beforeEdge}, then (after letting the model settle, when it is set to)
 * every agent's {@link #sample}, steps the model one rising edge, then calls
 * {@link #afterEdge}.
 *
 * <p>Drive in {@code beforeEdge} (valid and payload of a source, ready of a sink:
 * AXI lets neither depend on the other side's handshake), read the other side's
 * handshake in {@code sample}: by then every agent has driven its inputs, so a
 * design with a combinational path (a pass-through's {@code s_axis_tready} from
 * {@code m_axis_tready}) shows the value the coming edge will see. Agents written for
 * the testbed's own blocks, whose outputs are all registered, may do both in
 * {@code beforeEdge}.
 */
public interface BusAgent {
    /** Drives inputs (and, for blocks with registered outputs only, may read outputs and decide). */
    void beforeEdge(long cycle);

    /** Reads the handshakes once every agent has driven: decides what fires at the coming edge. */
    default void sample(long cycle) {
    }

    /** Accounts for what fired at the edge that just happened. */
    default void afterEdge(long cycle) {
    }
}
