package dev.andromeda.testbed.hw.kit;

/**
 * A named value of a fixed width that a waveform can show: a port or a
 * register. Values are held in a {@code long}, so a signal is at most 64 bits.
 */
public abstract sealed class Signal permits Input, Output, Reg {
    private final String name;
    private final int width;
    final long mask;

    Signal(String name, int width) {
        if (width < 1 || width > 64) {
            throw new IllegalArgumentException(name + ": width must be 1..64, was " + width);
        }
        this.name = name;
        this.width = width;
        this.mask = width == 64 ? -1L : (1L << width) - 1;
    }

    public final String name() {
        return name;
    }

    public final int width() {
        return width;
    }

    /** The value now. */
    public abstract long get();

    /** Convenience for 1-bit signals. */
    public final boolean isHigh() {
        return get() != 0;
    }
}
