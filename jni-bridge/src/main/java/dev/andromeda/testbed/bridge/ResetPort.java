package dev.andromeda.testbed.bridge;

/**
 * A Verilated model's reset input and its polarity, as its description names them: what
 * {@link dev.andromeda.testbed.hw.HardwareModel#resetPort()} answers for a model opened by
 * path. The glue drives the reset itself on {@code reset(n)}; this is for callers that replay
 * a reset through {@code set} (a lockstep pair).
 *
 * @param port      the reset input, or {@code null} when the design has none
 * @param activeLow whether it asserts at 0
 */
public record ResetPort(String port, boolean activeLow) {
    /** The testbed's own blocks: {@code rst}, active high. */
    public static final ResetPort BUILT_IN = new ResetPort("rst", false);

    public static ResetPort of(ModelDescription d) {
        return "none".equals(d.reset()) ? new ResetPort(null, false) : new ResetPort(d.reset(), d.resetActiveLow());
    }
}
