package dev.andromeda.testbed.hw.kit;

/**
 * A memory with asynchronous read and writes that land at the rising edge
 * (distributed RAM, or a block RAM whose read register is the module's own).
 * Up to {@link #MAX_WRITES_PER_CYCLE} writes may be scheduled per cycle; the
 * later of two writes to one address wins, as in the Verilog it mirrors.
 */
public final class Mem {
    public static final int MAX_WRITES_PER_CYCLE = 4;

    private final String name;
    private final long[] data;
    private final long mask;
    private final int[] pendingAddr = new int[MAX_WRITES_PER_CYCLE];
    private final long[] pendingData = new long[MAX_WRITES_PER_CYCLE];
    private int pending;

    Mem(String name, int width, int depth) {
        if (width < 1 || width > 64) {
            throw new IllegalArgumentException(name + ": width must be 1..64, was " + width);
        }
        if (depth < 1) {
            throw new IllegalArgumentException(name + ": depth must be positive, was " + depth);
        }
        this.name = name;
        this.data = new long[depth];
        this.mask = width == 64 ? -1L : (1L << width) - 1;
    }

    public String name() {
        return name;
    }

    public int depth() {
        return data.length;
    }

    /** The word at addr now (writes of this cycle not yet visible). */
    public long read(int addr) {
        return data[addr];
    }

    /** Schedules a write for the next rising edge. */
    public void write(int addr, long value) {
        if (pending == MAX_WRITES_PER_CYCLE) {
            throw new IllegalStateException(name + ": more than " + MAX_WRITES_PER_CYCLE + " writes in a cycle");
        }
        pendingAddr[pending] = addr;
        pendingData[pending] = value & mask;
        pending++;
    }

    void edge() {
        for (int i = 0; i < pending; i++) {
            data[pendingAddr[i]] = pendingData[i];
        }
        pending = 0;
    }
}
