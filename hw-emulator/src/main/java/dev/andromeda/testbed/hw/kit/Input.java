package dev.andromeda.testbed.hw.kit;

/** An input port: set by whoever drives the module, read by its logic. */
public final class Input extends Signal {
    long value;

    Input(String name, int width) {
        super(name, width);
    }

    @Override
    public long get() {
        return value;
    }

    /** Drives the port; bits above the width are dropped. */
    public void drive(long v) {
        value = v & mask;
    }
}
