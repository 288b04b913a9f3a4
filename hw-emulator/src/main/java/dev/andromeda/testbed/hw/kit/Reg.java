package dev.andromeda.testbed.hw.kit;

/**
 * A register: {@link #get()} is the value since the last rising edge,
 * {@link #next(long)} sets the value it takes at the next one. Without a
 * {@code next} in a cycle it holds -- like a flip-flop with an enable.
 */
public final class Reg extends Signal {
    long q;
    long d;

    Reg(String name, int width) {
        super(name, width);
    }

    @Override
    public long get() {
        return q;
    }

    /** The value at the next rising edge; bits above the width are dropped. */
    public void next(long v) {
        d = v & mask;
    }

    public void next(boolean v) {
        d = v ? 1 : 0;
    }

    void edge() {
        q = d;
    }
}
