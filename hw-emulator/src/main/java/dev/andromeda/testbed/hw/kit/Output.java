package dev.andromeda.testbed.hw.kit;

/** An output port: assigned by the module's output logic, read by its driver. */
public final class Output extends Signal {
    long value;

    Output(String name, int width) {
        super(name, width);
    }

    @Override
    public long get() {
        return value;
    }

    /** Assigns the port (from {@link Module#drive()}); bits above the width are dropped. */
    public void set(long v) {
        value = v & mask;
    }

    public void set(boolean v) {
        value = v ? 1 : 0;
    }
}
