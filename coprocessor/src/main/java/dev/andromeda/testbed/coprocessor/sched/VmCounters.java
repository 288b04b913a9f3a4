package dev.andromeda.testbed.coprocessor.sched;

import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the coprocessors did for one VM: items finished (passed or dropped), their bytes, CPU
 * nanoseconds of its service slices, slices, and drops by reason.
 *
 * <p>Single writer at a time: the worker serving the VM, once per slice (counters are summed
 * over the slice first). Workers float, but the scheduler's claim on the VM orders successive
 * writers. Each value is written with a plain read and a store-release, and read with a
 * load-acquire from any thread: never torn, never lost, a recent value. {@link DropReason#RING_FULL}
 * is counted by the fast path in the VM's rings and read from there.
 */
public final class VmCounters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int ITEMS = 0;
    private static final int PASSED = 1;
    private static final int BYTES = 2;
    private static final int CPU_NS = 3;
    private static final int SLICES = 4;
    private static final int DROPS = 5;

    private final int vmId;
    private final WorkRing[] rings;
    private final long[] values = new long[DROPS + DropReason.count()];

    public VmCounters(int vmId, WorkRing... rings) {
        this.vmId = vmId;
        this.rings = rings.clone();
    }

    /** Adds one slice's figures (the serving thread only). */
    void addSlice(long items, long passed, long bytes, long cpuNs, long[] drops) {
        add(ITEMS, items);
        add(PASSED, passed);
        add(BYTES, bytes);
        add(CPU_NS, cpuNs);
        add(SLICES, 1);
        for (int r = 0; r < drops.length; r++) {
            if (drops[r] != 0) {
                add(DROPS + r, drops[r]);
            }
        }
    }

    private void add(int index, long delta) {
        // Single writer: plain read, store-release so readers see a whole, recent value.
        LONGS.setRelease(values, index, (long) LONGS.get(values, index) + delta);
    }

    private long get(int index) {
        return (long) LONGS.getAcquire(values, index);
    }

    public int vmId() {
        return vmId;
    }

    /** Items the coprocessor finished, passed or dropped. */
    public long items() {
        return get(ITEMS);
    }

    public long passed() {
        return get(PASSED);
    }

    /** Packet bytes of the items finished ({@code WorkItem.length()}). */
    public long bytes() {
        return get(BYTES);
    }

    /** CPU time of the VM's service slices, by the pool's {@link CpuClock}. */
    public long cpuNs() {
        return get(CPU_NS);
    }

    /** Service slices the VM was given. */
    public long slices() {
        return get(SLICES);
    }

    public long drops(DropReason reason) {
        if (reason == DropReason.RING_FULL) {
            long sum = 0;
            for (WorkRing ring : rings) {
                sum += ring.ringFullDrops();
            }
            return sum;
        }
        return get(DROPS + reason.ordinal());
    }

    public long totalDrops() {
        long sum = 0;
        for (DropReason r : DropReason.values()) {
            sum += drops(r);
        }
        return sum;
    }

    /** The non-zero drops, by reason. */
    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> map = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            long n = drops(r);
            if (n != 0) {
                map.put(r, n);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return "vm " + vmId + ": items=" + items() + " passed=" + passed() + " bytes=" + bytes() + " cpuNs="
                + cpuNs() + " slices=" + slices() + " drops=" + dropsByReason();
    }
}
