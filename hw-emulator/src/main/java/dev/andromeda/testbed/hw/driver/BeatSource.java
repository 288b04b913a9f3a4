package dev.andromeda.testbed.hw.driver;

/** Produces the beats a {@link ValidReadySource} sends, one at a time. */
@FunctionalInterface
public interface BeatSource {
    /**
     * Writes the next beat's field values into {@code fields}.
     *
     * @return false when there is nothing to send now
     */
    boolean next(long[] fields);
}
