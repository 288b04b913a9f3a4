package dev.andromeda.testbed.testkit.coverage;

/**
 * Samples the lengths of runs of a per-cycle condition into a coverpoint -- back-pressure
 * patterns (how many cycles in a row tready was low), idle gaps, bursts. Call
 * {@link #cycle(boolean)} once a cycle; a run is sampled when it ends, and by {@link #end()}.
 */
public final class RunLength {
    private final Coverpoint point;
    private long run;

    public RunLength(Coverpoint point) {
        this.point = point;
    }

    public void cycle(boolean on) {
        if (on) {
            run++;
        } else if (run > 0) {
            point.sample(run);
            run = 0;
        }
    }

    /** Samples a run still open (at the end of the test). */
    public void end() {
        cycle(false);
    }
}
