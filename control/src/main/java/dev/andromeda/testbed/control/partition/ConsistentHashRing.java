package dev.andromeda.testbed.control.partition;

import java.util.Arrays;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Hosts to VM-controller partitions by consistent hashing: each partition puts
 * {@code virtualNodes} points on a 64-bit ring, a host belongs to the first
 * point at or after its own hash (wrapping). Adding or removing a partition
 * moves only the hosts between its points and their predecessors, about
 * 1/P of them. Immutable: {@link #withPartition} and {@link #withoutPartition}
 * return new rings. Deterministic across runs (no {@code hashCode} of objects).
 */
public final class ConsistentHashRing {
    public static final int DEFAULT_VIRTUAL_NODES = 64;

    private final int virtualNodes;
    private final SortedSet<Integer> partitions;
    private final long[] points;     // sorted
    private final int[] owner;       // partition of each point

    public ConsistentHashRing(Collection<Integer> partitionIds, int virtualNodes) {
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtual nodes >= 1: " + virtualNodes);
        }
        this.virtualNodes = virtualNodes;
        this.partitions = new TreeSet<>(partitionIds);
        int n = partitions.size() * virtualNodes;
        long[][] pairs = new long[n][];
        int i = 0;
        for (int p : partitions) {
            for (int v = 0; v < virtualNodes; v++) {
                pairs[i++] = new long[] {mix(mix(p + 0x632BE59BD9B4E019L) + v), p};
            }
        }
        Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        points = new long[n];
        owner = new int[n];
        for (int k = 0; k < n; k++) {
            points[k] = pairs[k][0];
            owner[k] = (int) pairs[k][1];
        }
    }

    /** Partitions {@code 0 .. count-1}, {@value #DEFAULT_VIRTUAL_NODES} virtual nodes each. */
    public static ConsistentHashRing of(int count) {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (int p = 0; p < count; p++) {
            ids.add(p);
        }
        return new ConsistentHashRing(ids, DEFAULT_VIRTUAL_NODES);
    }

    public ConsistentHashRing withPartition(int id) {
        TreeSet<Integer> s = new TreeSet<>(partitions);
        if (!s.add(id)) {
            throw new IllegalArgumentException("partition " + id + " exists");
        }
        return new ConsistentHashRing(s, virtualNodes);
    }

    public ConsistentHashRing withoutPartition(int id) {
        TreeSet<Integer> s = new TreeSet<>(partitions);
        if (!s.remove(id)) {
            throw new IllegalArgumentException("no partition " + id);
        }
        return new ConsistentHashRing(s, virtualNodes);
    }

    public SortedSet<Integer> partitions() {
        return java.util.Collections.unmodifiableSortedSet(partitions);
    }

    /** The partition owning a host. */
    public int partitionOf(int hostId) {
        if (points.length == 0) {
            throw new IllegalStateException("no partitions");
        }
        long h = mix(0x9E3779B97F4A7C15L ^ hostId);
        int i = Arrays.binarySearch(points, h);
        if (i < 0) {
            i = -i - 1;
        }
        return owner[i == points.length ? 0 : i];
    }

    /** SplitMix64's finalizer: a well-spread 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
