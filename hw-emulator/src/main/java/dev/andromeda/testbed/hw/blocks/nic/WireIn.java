package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.BusAgent;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The NIC's wire in ({@code s_axis}) from frames that stay where they are in host memory,
 * for a NIC that runs for long: each beat is read straight out of the frame's bytes, and
 * the frame's owner is told once its last beat was taken ({@link Release}) -- no copy into a
 * {@code byte[]}, no per-frame allocation (the test source, {@code AxiStreamSource}, takes
 * an {@code AxiFrame} per frame). Always valid when it has a frame: no idle cycles.
 */
public final class WireIn implements BusAgent {
    /** Told that the NIC took the whole of a frame: its memory may be reused. */
    public interface Release {
        void taken(int cookie);
    }

    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final HardwareModel model;
    private final MemorySegment memory;
    private final Release release;
    private final int tdata;
    private final int tkeep;
    private final int tvalid;
    private final int tready;
    private final int tlast;
    private final long[] at;
    private final int[] length;
    private final int[] cookie;
    private int head;    // next frame to send (ring index, free-running)
    private int tail;
    private int sent;    // bytes of the head frame the NIC has taken
    private boolean offered;
    private int beatBytes;

    /** A wire in with room for {@code capacity} frames waiting (a power of two). */
    public WireIn(HardwareModel model, MemorySegment memory, int capacity, Release release) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.model = model;
        this.memory = memory;
        this.release = release;
        tdata = model.port("s_axis_tdata");
        tkeep = model.port("s_axis_tkeep");
        tvalid = model.port("s_axis_tvalid");
        tready = model.port("s_axis_tready");
        tlast = model.port("s_axis_tlast");
        at = new long[capacity];
        length = new int[capacity];
        cookie = new int[capacity];
    }

    /**
     * Queues the frame of {@code len} bytes at {@code offset} in memory, which must stay as it
     * is until {@link Release#taken} says so.
     *
     * @return false when {@link #room()} is 0 (nothing queued)
     */
    public boolean offer(long offset, int len, int owner) {
        if (room() == 0 || len <= 0) {
            return false;
        }
        int slot = tail & (at.length - 1);
        at[slot] = offset;
        length[slot] = len;
        cookie[slot] = owner;
        tail++;
        return true;
    }

    /** Frames that can still be queued. */
    public int room() {
        return at.length - pending();
    }

    /** Frames queued and not wholly taken. */
    public int pending() {
        return tail - head;
    }

    @Override
    public void beforeEdge(long cycle) {
        offered = head != tail;
        if (!offered) {
            model.set(tvalid, 0);
            return;
        }
        int slot = head & (at.length - 1);
        int left = length[slot] - sent;
        beatBytes = Math.min(8, left);
        long from = at[slot] + sent;
        long data;
        if (beatBytes == 8) {
            data = memory.get(LE_LONG, from);
        } else {
            data = 0;
            for (int i = 0; i < beatBytes; i++) {
                data |= (memory.get(ValueLayout.JAVA_BYTE, from + i) & 0xFFL) << (8 * i);
            }
        }
        model.set(tdata, data);
        model.set(tkeep, (1L << beatBytes) - 1);
        model.set(tlast, beatBytes == left ? 1 : 0);
        model.set(tvalid, 1);
    }

    @Override
    public void sample(long cycle) {
        if (!offered || model.get(tready) == 0) {
            return;
        }
        int slot = head & (at.length - 1);
        sent += beatBytes;
        if (sent == length[slot]) {
            head++;
            sent = 0;
            release.taken(cookie[slot]);
        }
    }
}
