package dev.andromeda.testbed.tb.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The benchmark's flow draws against their laws, computed here apart: Zipf(1.0) gives rank k
 * (from 1) the probability (1/k) / H(n); uniform gives each flow 1/n. Seeded: the same seed,
 * the same draws.
 */
class FlowDrawTest {
    static final long SEED = 2018;
    static final int DRAWS = 400_000;

    @Test
    void zipfDrawsRankKWithProbabilityOneOverKHn() {
        int n = 1000;
        int[] count = histogram(FlowDraw.ZIPF.draw(n, DRAWS, SEED), n);
        double h = 0;
        for (int k = 1; k <= n; k++) {
            h += 1.0 / k;
        }
        for (int k = 1; k <= 20; k++) {
            double p = 1.0 / k / h;
            double sigma = Math.sqrt(DRAWS * p * (1 - p));
            assertThat((double) count[k - 1]).as("rank %d, seed %d", k, SEED)
                    .isBetween(DRAWS * p - 5 * sigma, DRAWS * p + 5 * sigma);
        }
        // The tail: the last half of the ranks together, (H(n) - H(n/2)) / H(n) of the draws (about 9 %).
        double tail = 0;
        for (int k = n / 2 + 1; k <= n; k++) {
            tail += 1.0 / k / h;
        }
        long inTail = 0;
        for (int k = n / 2; k < n; k++) {
            inTail += count[k];
        }
        double sigma = Math.sqrt(DRAWS * tail * (1 - tail));
        assertThat((double) inTail).as("seed %d", SEED).isBetween(DRAWS * tail - 5 * sigma, DRAWS * tail + 5 * sigma);
    }

    @Test
    void uniformDrawsEveryFlowAlike() {
        int n = 100;
        int[] count = histogram(FlowDraw.UNIFORM.draw(n, DRAWS, SEED), n);
        double p = 1.0 / n;
        double sigma = Math.sqrt(DRAWS * p * (1 - p));
        for (int k = 0; k < n; k++) {
            assertThat((double) count[k]).as("flow %d, seed %d", k, SEED)
                    .isBetween(DRAWS * p - 5 * sigma, DRAWS * p + 5 * sigma);
        }
    }

    @Test
    void drawsStayInTheTableAndRepeatWithTheSeed() {
        for (FlowDraw d : FlowDraw.values()) {
            int[] a = d.draw(1_000_000, 65_536, SEED);
            assertThat(java.util.Arrays.stream(a).allMatch(f -> f >= 0 && f < 1_000_000)).as("in [0, 1M)").isTrue();
            assertThat(d.draw(1_000_000, 65_536, SEED)).isEqualTo(a);
            assertThat(d.draw(1_000_000, 65_536, SEED + 1)).isNotEqualTo(a);
        }
        assertThat(FlowDraw.of("Zipf")).isEqualTo(FlowDraw.ZIPF);
        assertThatThrownBy(() -> FlowDraw.of("pareto")).hasMessage("destinations must be uniform or zipf: pareto");
    }

    private static int[] histogram(int[] draws, int n) {
        int[] count = new int[n];
        for (int f : draws) {
            count[f]++;
        }
        return count;
    }
}
