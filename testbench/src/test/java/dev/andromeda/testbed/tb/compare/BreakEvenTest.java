package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The break-even model on made-up costs: no measurement involved. */
class BreakEvenTest {

    private static BreakEven.Point p(int size, double cpuSw, double cpuHw, double hwNs) {
        return new BreakEven.Point(size, cpuSw, cpuHw, hwNs);
    }

    @Test
    void paysAlwaysWhenTheSavingBeatsTheLatencyAtTheSmallestSize() {
        BreakEven.Verdict v = BreakEven.find(List.of(
                p(64, 500, 50, 100), p(1500, 2000, 60, 800), p(9000, 9000, 80, 4000)), 1.0);
        assertThat(v.kind()).isEqualTo(BreakEven.Kind.ALWAYS);
        assertThat(v.size()).isEqualTo(64);
        assertThat(v.paysAt()).containsExactly(64, 1500, 9000);
        assertThat(v.describe()).contains("every measured size");
    }

    @Test
    void neverPaysWhenTheLatencyAlwaysOutweighsTheSaving() {
        BreakEven.Verdict v = BreakEven.find(List.of(
                p(64, 20, 15, 33), p(1500, 200, 20, 776), p(9000, 1100, 25, 4642)), 1.0);
        assertThat(v.kind()).isEqualTo(BreakEven.Kind.NEVER);
        assertThat(Double.isNaN(v.size())).isTrue();
        assertThat(v.paysAt()).isEmpty();
        assertThat(v.describe()).isEqualTo("never pays at the measured sizes");
    }

    @Test
    void theCrossingIsInterpolatedLinearlyBetweenTheTwoSizesAroundIt() {
        // Margins at weight 1: 64 -> 100-50-150 = -100; 1500 -> 1000-50-450 = +500; 9000 -> +3000.
        // Linear between 64 (-100) and 1500 (+500): zero at 64 + 1436 * 100/600.
        BreakEven.Verdict v = BreakEven.find(List.of(
                p(9000, 6000, 50, 2950), p(64, 100, 50, 150), p(1500, 1000, 50, 450)), 1.0);
        assertThat(v.kind()).isEqualTo(BreakEven.Kind.AT);
        assertThat(v.size()).isCloseTo(64 + 1436 * 100.0 / 600.0, within(1e-9));
        assertThat(v.below()).isEqualTo(64);
        assertThat(v.above()).isEqualTo(1500);
        assertThat(v.describe()).contains("~303 B", "64 and 1,500 B");
    }

    @Test
    void aSizeThatPaysBelowOneThatDoesNotIsNoBreakEven() {
        // Pays at 64 and 9000, not at 1500: the break-even is the crossing below 9000, not 64.
        BreakEven.Verdict v = BreakEven.find(List.of(
                p(64, 300, 50, 100), p(1500, 800, 50, 850), p(9000, 9000, 50, 4000)), 1.0);
        assertThat(v.kind()).isEqualTo(BreakEven.Kind.AT);
        assertThat(v.below()).isEqualTo(1500);
        assertThat(v.above()).isEqualTo(9000);
        // Margins -100 at 1500 and +4950 at 9000.
        assertThat(v.size()).isCloseTo(1500 + 7500 * 100.0 / 5050.0, within(1e-9));
        assertThat(v.paysAt()).containsExactly(64, 9000);

        BreakEven.Verdict smallOnly = BreakEven.find(List.of(p(64, 300, 50, 100), p(1500, 800, 50, 850)), 1.0);
        assertThat(smallOnly.kind()).isEqualTo(BreakEven.Kind.NEVER);
        assertThat(smallOnly.paysAt()).containsExactly(64);
        assertThat(smallOnly.describe()).contains("pays at 64 B only");
    }

    @Test
    void theLatencyWeightMovesTheBreakEven() {
        List<BreakEven.Point> points = List.of(p(64, 20, 15, 33), p(1500, 200, 20, 776), p(9000, 1100, 25, 4642));
        assertThat(BreakEven.find(points, 1.0).kind()).isEqualTo(BreakEven.Kind.NEVER);
        // Latency free: only CPU counts, and the hardware's host share is below sw everywhere.
        assertThat(BreakEven.find(points, 0.0).kind()).isEqualTo(BreakEven.Kind.ALWAYS);
        // Margins at 0.1: 64 -> 5-3.3 = 1.7 > 0: always; at 0.2: 64 -> 5-6.6 < 0, 1500 -> 180-155.2 > 0.
        BreakEven.Verdict v = BreakEven.find(points, 0.2);
        assertThat(v.kind()).isEqualTo(BreakEven.Kind.AT);
        assertThat(v.below()).isEqualTo(64);
        assertThat(v.above()).isEqualTo(1500);
    }

    @Test
    void exactlyEvenDoesNotPay() {
        assertThat(BreakEven.find(List.of(p(64, 150, 50, 100)), 1.0).kind()).isEqualTo(BreakEven.Kind.NEVER);
    }

    @Test
    void rejectsWhatIsNotAMeasurement() {
        assertThatThrownBy(() -> BreakEven.find(List.of(), 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BreakEven.find(List.of(p(64, 1, 1, 1), p(64, 2, 2, 2)), 1.0))
                .hasMessageContaining("size 64");
        assertThatThrownBy(() -> BreakEven.find(List.of(p(64, 1, 1, 1)), -1)).hasMessageContaining("latency weight");
        assertThatThrownBy(() -> BreakEven.find(List.of(p(64, 1, 1, 1)), Double.NaN))
                .hasMessageContaining("latency weight");
    }

    @Test
    void pointsPairEachHardwareCostWithTheSoftwareCostAtItsSize() {
        List<StageCost> sw = List.of(cost("sw", 64, 30, 0), cost("sw", 1500, 300, 0));
        List<StageCost> hw = List.of(cost("emu", 64, 10, 40), cost("emu", 1500, 12, 700),
                cost("emu", 9000, 20, 4000)); // no sw cost at 9000: left out
        assertThat(BreakEven.points(sw, hw)).containsExactly(p(64, 30, 10, 40), p(1500, 300, 12, 700));
    }

    private static StageCost cost(String impl, int size, double cpuNs, double hwNs) {
        return new StageCost(impl, Stage.COPY, size, 0, 100, cpuNs, hwNs / 4, hwNs, 0, 0, null, null);
    }
}
