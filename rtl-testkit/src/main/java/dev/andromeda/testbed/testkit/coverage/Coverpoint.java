package dev.andromeda.testbed.testkit.coverage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One thing a test measures (a frame's length, a back-pressure run, a command field) and the
 * bins its values fall in, each a closed range {@code [lo, hi]}. A value goes to the first bin
 * that holds it; a value no bin holds is counted as {@link #outside()}, never dropped silently.
 * A bin with no hit is a hole in the test plan.
 *
 * <pre>{@code
 * Coverpoint len = group.point("frame length")
 *         .bin("1 byte", 1).range("2-63", 2, 63).range("64-1518", 64, 1518).range("jumbo", 1519, 9216);
 * len.sample(frame.length());
 * }</pre>
 */
public final class Coverpoint {
    /** A named range and how often a sample fell in it. */
    public record Bin(String name, long lo, long hi, long hits) {
        public boolean holds(long v) {
            return v >= lo && v <= hi;
        }
    }

    private final String name;
    private final List<String> names = new ArrayList<>();
    private long[] lo = new long[0];
    private long[] hi = new long[0];
    private long[] hits = new long[0];
    private long outside;

    Coverpoint(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** A bin of the values {@code lo..hi} (inclusive). */
    public Coverpoint range(String bin, long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("bin '" + bin + "' of '" + name + "': lo " + lo + " > hi " + hi);
        }
        if (names.contains(bin)) {
            throw new IllegalArgumentException("coverpoint '" + name + "' has a bin '" + bin + "' already");
        }
        names.add(bin);
        int n = names.size();
        this.lo = java.util.Arrays.copyOf(this.lo, n);
        this.hi = java.util.Arrays.copyOf(this.hi, n);
        this.hits = java.util.Arrays.copyOf(this.hits, n);
        this.lo[n - 1] = lo;
        this.hi[n - 1] = hi;
        return this;
    }

    /** A bin of one value. */
    public Coverpoint bin(String bin, long value) {
        return range(bin, value, value);
    }

    /** Counts a value in the first bin that holds it, or as outside every bin. */
    public void sample(long v) {
        for (int i = 0; i < lo.length; i++) {
            if (v >= lo[i] && v <= hi[i]) {
                hits[i]++;
                return;
            }
        }
        outside++;
    }

    /** A boolean as 0 or 1 (bins {@code bin("no", 0).bin("yes", 1)}). */
    public void sample(boolean v) {
        sample(v ? 1 : 0);
    }

    /** Samples that fell in no bin. */
    public long outside() {
        return outside;
    }

    public List<Bin> bins() {
        List<Bin> b = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            b.add(new Bin(names.get(i), lo[i], hi[i], hits[i]));
        }
        return Collections.unmodifiableList(b);
    }

    /** Bins with at least one hit. */
    public int binsHit() {
        int n = 0;
        for (long h : hits) {
            n += h > 0 ? 1 : 0;
        }
        return n;
    }

    /** Adds another run's counts of the same point: its bins must be the same names and ranges. */
    void add(Coverpoint other, String group) {
        if (!names.equals(other.names) || !java.util.Arrays.equals(lo, other.lo) || !java.util.Arrays.equals(hi, other.hi)) {
            throw new IllegalArgumentException("coverpoint '" + group + "/" + name + "' has different bins in two runs: "
                    + describe() + " vs " + other.describe());
        }
        for (int i = 0; i < hits.length; i++) {
            hits[i] += other.hits[i];
        }
        outside += other.outside;
    }

    void restore(long[] counts, long outsideCount) {
        System.arraycopy(counts, 0, hits, 0, hits.length);
        outside = outsideCount;
    }

    private String describe() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            b.append(i > 0 ? ", " : "").append(names.get(i)).append(' ').append(lo[i]).append("..").append(hi[i]);
        }
        return b.append(']').toString();
    }
}
