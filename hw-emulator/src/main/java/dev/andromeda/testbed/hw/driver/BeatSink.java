package dev.andromeda.testbed.hw.driver;

/** Receives the beats a {@link ValidReadySink} takes. */
@FunctionalInterface
public interface BeatSink {
    /**
     * @param fields the beat's field values (reused: copy what you keep)
     * @param cycle  the clock cycle whose rising edge moved the beat
     */
    void accept(long[] fields, long cycle);
}
