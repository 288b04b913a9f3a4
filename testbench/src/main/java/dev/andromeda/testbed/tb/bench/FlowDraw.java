package dev.andromeda.testbed.tb.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which flow each frame of a benchmark's frame set belongs to: drawn over the
 * whole flow table, uniformly or by Zipf's law with exponent 1.0 (flow of rank
 * k, counting from 1, drawn with probability (1/k) / H(n)) -- the skew of real
 * traffic, a few heavy flows and a long tail. Seeded: the same seed gives the
 * same frames.
 */
public enum FlowDraw {
    UNIFORM,
    ZIPF;

    /** Parses {@code uniform} or {@code zipf} (a JMH parameter), case-insensitive. */
    public static FlowDraw of(String name) {
        for (FlowDraw d : values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("destinations must be uniform or zipf: " + name);
    }

    /** {@code count} flow indices in [0, flows), drawn with {@code seed}. */
    public int[] draw(int flows, int count, long seed) {
        if (flows <= 0 || count < 0) {
            throw new IllegalArgumentException("flows must be positive and count not negative: " + flows + ", "
                    + count);
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[count];
        if (this == UNIFORM) {
            for (int i = 0; i < count; i++) {
                out[i] = r.nextInt(flows);
            }
            return out;
        }
        // Inverse transform over the cumulative distribution: one binary search a draw.
        double[] cdf = new double[flows];
        double sum = 0;
        for (int k = 0; k < flows; k++) {
            sum += 1.0 / (k + 1);
            cdf[k] = sum;
        }
        for (int i = 0; i < count; i++) {
            double u = r.nextDouble() * sum;
            int k = Arrays.binarySearch(cdf, u);
            out[i] = Math.min(k >= 0 ? k : -k - 1, flows - 1);
        }
        return out;
    }
}
