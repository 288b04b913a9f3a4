package dev.andromeda.testbed.coprocessor.shaping;

/**
 * Token-bucket arithmetic in integers, exact and deterministic: the bucket holds <em>nanotokens</em>
 * (10^-9 token), so {@code rate} tokens per second earn exactly {@code rate} nanotokens per
 * nanosecond, with no rounding drift however often it is refilled. Bounds keep every product
 * in a long: burst up to 2^32 tokens, rate up to 10^12 tokens per second.
 *
 * <p>Not thread-safe: one owner (the thread serving the VM). The static helpers let tables of
 * buckets ({@code DosGuard}) keep their state in flat arrays.
 */
public final class TokenBucket {
    public static final long NANO = 1_000_000_000L;
    public static final long MAX_BURST = 1L << 32;
    public static final long MAX_RATE = 1_000_000_000_000L;

    private final long rate;
    private final long burst;
    private final long capacity;
    private final long fullRefillNs;
    private long nanoTokens;
    private long lastNanos;

    /** Starts full at {@code nowNanos}. */
    public TokenBucket(long tokensPerSecond, long burst, long nowNanos) {
        check(tokensPerSecond, burst);
        this.rate = tokensPerSecond;
        this.burst = burst;
        this.capacity = burst * NANO;
        this.fullRefillNs = fullRefillNs(tokensPerSecond, burst);
        this.nanoTokens = capacity;
        this.lastNanos = nowNanos;
    }

    public static void check(long tokensPerSecond, long burst) {
        if (tokensPerSecond < 1 || tokensPerSecond > MAX_RATE) {
            throw new IllegalArgumentException("rate must be 1.." + MAX_RATE + " per second: " + tokensPerSecond);
        }
        if (burst < 1 || burst > MAX_BURST) {
            throw new IllegalArgumentException("burst must be 1.." + MAX_BURST + ": " + burst);
        }
    }

    /** Nanoseconds after which an empty bucket is full again. */
    public static long fullRefillNs(long rate, long burst) {
        long capacity = burst * NANO;
        return (capacity + rate - 1) / rate;
    }

    /** The bucket's nanotokens after {@code elapsedNs} more nanoseconds (no overflow: see the bounds). */
    public static long refill(long nanoTokens, long elapsedNs, long rate, long capacity, long fullRefillNs) {
        if (elapsedNs <= 0) {
            return nanoTokens;
        }
        if (elapsedNs >= fullRefillNs) {
            return capacity;
        }
        return Math.min(capacity, nanoTokens + elapsedNs * rate);
    }

    /** Takes {@code tokens} if the bucket holds them at {@code nowNanos}. */
    public boolean tryTake(long tokens, long nowNanos) {
        if (tokens > burst) {
            return false;
        }
        refill(nowNanos);
        long need = tokens * NANO;
        if (nanoTokens < need) {
            return false;
        }
        nanoTokens -= need;
        return true;
    }

    /** Nanoseconds from {@code nowNanos} until {@code tokens} are there (0 if now; MAX_VALUE if never). */
    public long nanosUntil(long tokens, long nowNanos) {
        if (tokens > burst) {
            return Long.MAX_VALUE;
        }
        refill(nowNanos);
        long deficit = tokens * NANO - nanoTokens;
        return deficit <= 0 ? 0 : (deficit + rate - 1) / rate;
    }

    /** Whole tokens available at {@code nowNanos}. */
    public long available(long nowNanos) {
        refill(nowNanos);
        return nanoTokens / NANO;
    }

    public long rate() {
        return rate;
    }

    public long burst() {
        return burst;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            nanoTokens = refill(nanoTokens, elapsed, rate, capacity, fullRefillNs);
            lastNanos = nowNanos;
        }
    }
}
