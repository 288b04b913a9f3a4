package dev.andromeda.testbed.coprocessor.acl;

import dev.andromeda.testbed.coprocessor.shaping.TokenBucket;

import java.util.function.LongSupplier;

/**
 * A packet-rate limit per source address for one VM's Internet ingress: a token bucket per source
 * ({@code packetsPerSecond}, {@code burst}), kept in a bounded open-addressing table of flat arrays.
 *
 * <p>The table is set-associative: a source hashes to one set of {@code ways} consecutive slots and
 * is looked for only there, so a lookup probes at most {@code ways} slots. A new source takes a free
 * slot of its set; when the set is full, the least recently seen source of the set is evicted
 * (and counted). With {@code ways == capacity} it is one set and eviction is exactly
 * least-recently-seen over the whole table; smaller sets bound the cost per packet when a flood of
 * spoofed sources keeps the table full, as CPU caches do. An evicted source that comes back starts
 * with a full burst: the price of a bounded table, and why capacity should exceed the sources a VM
 * normally sees.
 *
 * <p>Owned by the thread serving the VM; time from the injected clock.
 */
public final class DosGuard {
    /** A slot's state; a new array reads 0, free. */
    private static final int USED = 1;

    private final long rate;
    private final long capacityNanoTokens;
    private final long fullRefillNs;
    private final long packetNanoTokens = TokenBucket.NANO;
    private final int ways;
    private final int setMask;
    private final LongSupplier nanoClock;

    private final int[] state;
    private final int[] source;
    private final long[] nanoTokens;
    private final long[] lastSeen;

    private int size;
    private long evictions;
    private long drops;

    /**
     * @param capacity sources tracked, a power of two
     * @param ways     slots per set, a power of two dividing capacity
     */
    public DosGuard(long packetsPerSecond, long burst, int capacity, int ways, LongSupplier nanoClock) {
        TokenBucket.check(packetsPerSecond, burst);
        if (capacity < 1 || Integer.bitCount(capacity) != 1 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("capacity must be a power of two up to 2^24: " + capacity);
        }
        if (ways < 1 || Integer.bitCount(ways) != 1 || ways > capacity) {
            throw new IllegalArgumentException("ways must be a power of two <= capacity: " + ways);
        }
        this.rate = packetsPerSecond;
        this.capacityNanoTokens = burst * TokenBucket.NANO;
        this.fullRefillNs = TokenBucket.fullRefillNs(packetsPerSecond, burst);
        this.ways = ways;
        this.setMask = capacity / ways - 1;
        this.nanoClock = nanoClock;
        this.state = new int[capacity];
        this.source = new int[capacity];
        this.nanoTokens = new long[capacity];
        this.lastSeen = new long[capacity];
    }

    /** Whether a packet from {@code srcIp} is within its source's rate now; a refusal is counted. */
    public boolean admit(int srcIp) {
        long now = nanoClock.getAsLong();
        int slot = find(srcIp, now);
        long tokens = TokenBucket.refill(nanoTokens[slot], now - lastSeen[slot], rate, capacityNanoTokens,
                fullRefillNs);
        lastSeen[slot] = now;
        if (tokens < packetNanoTokens) {
            nanoTokens[slot] = tokens;
            drops++;
            return false;
        }
        nanoTokens[slot] = tokens - packetNanoTokens;
        return true;
    }

    /** The slot holding {@code srcIp}, inserting it (full bucket) and evicting if its set is full. */
    private int find(int srcIp, long now) {
        int base = (mix(srcIp) & setMask) * ways;
        int free = -1;
        int oldest = base;
        for (int i = base; i < base + ways; i++) {
            if (state[i] == USED) {
                if (source[i] == srcIp) {
                    return i;
                }
                if (lastSeen[i] - lastSeen[oldest] < 0 || state[oldest] != USED) { // differences: nanoTime wraps
                    oldest = i;
                }
            } else if (free < 0) {
                free = i;
            }
        }
        int slot;
        if (free >= 0) {
            slot = free;
            size++;
        } else {
            slot = oldest;
            evictions++;
        }
        state[slot] = USED;
        source[slot] = srcIp;
        nanoTokens[slot] = capacityNanoTokens;
        lastSeen[slot] = now;
        return slot;
    }

    /** Whether {@code srcIp} is in the table (for tests and diagnostics). */
    public boolean tracks(int srcIp) {
        int base = (mix(srcIp) & setMask) * ways;
        for (int i = base; i < base + ways; i++) {
            if (state[i] == USED && source[i] == srcIp) {
                return true;
            }
        }
        return false;
    }

    /** Sources tracked now. */
    public int size() {
        return size;
    }

    public long evictions() {
        return evictions;
    }

    /** Packets refused since creation. */
    public long drops() {
        return drops;
    }

    /** murmur3's finalizer: neighbouring addresses land in different sets. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
