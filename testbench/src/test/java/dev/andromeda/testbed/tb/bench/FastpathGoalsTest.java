package dev.andromeda.testbed.tb.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdicts {@code tb bench fastpath} prints under its table: each of issue 11's goals met or
 * not by the figures given, and a goal not met explained by the run's own costliest stages.
 */
class FastpathGoalsTest {

    private static FastpathGoals.Path path(double ns, Object... stages) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < stages.length; i += 2) {
            m.put((String) stages[i], ((Number) stages[i + 1]).doubleValue());
        }
        return new FastpathGoals.Path(ns, m);
    }

    private static FastpathGoals.Goal goal(List<FastpathGoals.Goal> goals, String id) {
        return goals.stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aQuietRunThatMeetsEveryGoalSaysSoAndGivesNoReason() {
        List<FastpathGoals.Goal> goals = FastpathGoals.judge(path(95, "flow", 40, "parse", 20),
                path(80, "flow", 20), path(99, "parse", 40), path(700, "psp", 500), 480, "openssl", 0.0);
        assertThat(goals).extracting(FastpathGoals.Goal::id)
                .containsExactly("egress-ns", "ingress-ns", "table-ratio", "bytes-per-packet", "psp-gbps");
        assertThat(goals).allSatisfy(g -> {
            assertThat(g.met()).as(g.id()).isTrue();
            assertThat(g.why()).as(g.id()).isEmpty();
        });
        assertThat(goal(goals, "psp-gbps").measured()).isCloseTo(1500 / 700.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aGoalNotMetNamesItsCostliestStagesInOrderAndWhatIsOutsideThem() {
        List<FastpathGoals.Goal> goals = FastpathGoals.judge(
                path(224, "copy", 19, "parse", 38, "flow", 88, "checksum", 26, "encap", 19, "tx", 22),
                path(134, "flow", 24), path(132, "parse", 45, "decap", 38, "deliver", 18),
                path(1383, "flow", 121, "checksum", 30, "psp", 690, "tx", 45), 666, "openssl", 0.1);
        FastpathGoals.Goal egress = goal(goals, "egress-ns");
        assertThat(egress.met()).isFalse();
        assertThat(egress.why()).isEqualTo("the stages that cost most: flow 88, parse 38, checksum 26, outside"
                + " the stages 12 ns");
        assertThat(goal(goals, "ingress-ns").why()).startsWith("the stages that cost most: parse 45, decap 38,"
                + " deliver 18");
        // 224 / 134 = 1.67: over the 1.5x bound, and the flow stage is the reason.
        FastpathGoals.Goal ratio = goal(goals, "table-ratio");
        assertThat(ratio.met()).isFalse();
        assertThat(ratio.why()).contains("flow stage 88 ns at 1M flows against 24 at 1K");
        assertThat(goal(goals, "bytes-per-packet").met()).isTrue();
        FastpathGoals.Goal psp = goal(goals, "psp-gbps");
        assertThat(psp.met()).isFalse();
        assertThat(psp.why()).startsWith("the openssl seal (psp stage) takes 690 of the 750 ns a packet that 2 GB/s"
                + " allows (alone, outside the path: 666 ns, 2.25 GB/s); the path's stages: psp 690, flow 121, tx 45");
    }

    @Test
    void withoutTheSmallTableRunThereIsNoRatioVerdictAndWithoutTheSealRunNoFloor() {
        List<FastpathGoals.Goal> goals = FastpathGoals.judge(path(150, "flow", 90), null, path(90, "parse", 40),
                path(1000, "psp", 700), Double.NaN, "jdk", 12.0);
        assertThat(goals).extracting(FastpathGoals.Goal::id).doesNotContain("table-ratio");
        assertThat(goal(goals, "bytes-per-packet").met()).isFalse();
        assertThat(goal(goals, "psp-gbps").why()).startsWith("the jdk seal (psp stage) takes 700 of the 750 ns a"
                + " packet that 2 GB/s allows; the path's stages: psp 700");
    }
}
