package dev.andromeda.testbed.fastpath.dataplane;

import java.util.Arrays;

/**
 * A map from {@code long} keys to objects for the per-packet lookups of a host -- VM by port,
 * VM by (VNI, address), hairpin by (VNI, address), SA by host address -- where a list scan grows
 * with the host's VMs: open addressing with linear probing over a key array and a value array,
 * no boxing, {@link #get} allocates nothing. Changes (a VM plugged, a hairpin begun) happen
 * rarely, on the host's thread, and may allocate when the table grows; deletion shifts the
 * probe run back (no tombstones), so lookups stay short however often VMs come and go.
 * Confined to one thread.
 */
final class LongKeyMap<V> {
    private long[] keys;
    private Object[] values; // null: an empty slot
    private int mask;
    private int size;

    LongKeyMap() {
        keys = new long[8];
        values = new Object[8];
        mask = 7;
    }

    /** The key of a 32-bit pair, such as (VNI, IPv4 address). */
    static long key(int high, int low) {
        return (long) high << 32 | (low & 0xFFFFFFFFL);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The value for this key, or null. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        long[] k = keys;
        Object[] v = values;
        int m = mask;
        for (int s = slot(key, m); ; s = (s + 1) & m) {
            Object o = v[s];
            if (o == null) {
                return null;
            }
            if (k[s] == key) {
                return (V) o;
            }
        }
    }

    /** Sets the value for this key (not null); returns the one it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        for (int s = slot(key, mask); ; s = (s + 1) & mask) {
            if (values[s] == null) {
                keys[s] = key;
                values[s] = value;
                size++;
                return null;
            }
            if (keys[s] == key) {
                V old = (V) values[s];
                values[s] = value;
                return old;
            }
        }
    }

    /** Removes the key; returns its value, or null if it had none. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int s = slot(key, mask);
        while (values[s] != null && keys[s] != key) {
            s = (s + 1) & mask;
        }
        if (values[s] == null) {
            return null;
        }
        V old = (V) values[s];
        values[s] = null;
        size--;
        // Shift back the entries of the run after s that probed past it (Knuth's algorithm R).
        for (int gap = s, t = (s + 1) & mask; values[t] != null; t = (t + 1) & mask) {
            int home = slot(keys[t], mask);
            if (((t - home) & mask) >= ((t - gap) & mask)) {
                keys[gap] = keys[t];
                values[gap] = values[t];
                values[t] = null;
                gap = t;
            }
        }
        return old;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int s = 0; s < oldKeys.length; s++) {
            if (oldValues[s] != null) {
                put(oldKeys[s], (V) oldValues[s]);
            }
        }
    }
}
