package dev.andromeda.testbed.tb.cluster;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tb cluster faults}' table fits an 80-column terminal (its legend wraps to COLUMNS), every
 * row reads back as the result it shows, and {@code --json} keeps every field and the whole note.
 */
class FaultTableTest {

    private static List<FaultPlan.Result> draw(Random r) {
        List<FaultPlan.Result> out = new ArrayList<>();
        for (String fault : FaultPlan.ALL) {
            long expected = 2000;
            long delivered = expected - (r.nextInt(4) == 0 ? r.nextInt(3000) % 2001 : 0);
            ClusterRun.Score s = new ClusterRun.Score(expected, expected, delivered, r.nextInt(3), 0, 0);
            double master = r.nextBoolean() ? -1 : r.nextInt(10_000) / 100.0;
            double conv = r.nextInt(5) == 0 ? -1 : r.nextInt(10_000) / 100.0;
            out.add(new FaultPlan.Result(fault, master, conv, s.lost(), r.nextInt(3), r.nextInt(100), r.nextInt(3),
                    r.nextInt(1000), s, r.nextBoolean() ? -1 : r.nextInt(10_000),
                    "a note long enough to be cut if anything cut it: \"quoted\" " + "x".repeat(r.nextInt(300))));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20261207})
    void rowsFitEightyColumnsAndReadBackAsTheirResults(long seed) {
        List<FaultPlan.Result> results = draw(new Random(seed));
        List<String> lines = FaultPlan.table(results, 80).lines().toList();
        for (String line : lines) {
            assertThat(line.length()).as("seed %d: %s", seed, line).isLessThanOrEqualTo(80);
        }
        List<String> rows = lines.stream().filter(l -> FaultPlan.ALL.contains(l.split(" +")[0])).toList();
        assertThat(rows).as("seed %d", seed).hasSize(results.size());
        for (int i = 0; i < rows.size(); i++) {
            FaultPlan.Result r = results.get(i);
            String[] f = rows.get(i).strip().split(" +");
            assertThat(f).as("seed %d: %s", seed, rows.get(i)).containsExactly(r.fault(),
                    r.newMasterSeconds() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.newMasterSeconds()),
                    r.convergedSeconds() < 0 ? "never" : String.format(Locale.ROOT, "%.2f", r.convergedSeconds()),
                    Long.toString(r.lostOnProgrammedFlows()), Long.toString(r.updatesLost()),
                    Long.toString(r.updatesDoubled()), Long.toString(r.deposedWritesAccepted()),
                    Long.toString(r.deposedWritesRefused()), r.hairpinned() < 0 ? "-" : Long.toString(r.hairpinned()),
                    r.survived() ? "ok" : "FAILED");
        }
        // The header names every column, in the order of the rows' fields.
        assertThat(lines.get(0) + "\n" + lines.get(1)).contains("master", "conv.", "deposed", "hair-", "fault", "lost",
                "upd", "x2", "acc", "ref", "pin", "verdict");
    }

    @ParameterizedTest
    @ValueSource(ints = {55, 60, 80, 120})
    void theLegendWrapsToTheTerminalAndNamesTheJsonFields(int width) {
        String table = FaultPlan.table(draw(new Random(width)), width);
        String legend = table.substring(table.indexOf("\n\n") + 2);
        for (String line : legend.lines().toList()) {
            assertThat(line.length()).as("at %d: %s", width, line).isLessThanOrEqualTo(width);
        }
        assertThat(legend.replaceAll("\\s+", " ")).isEqualTo(FaultPlan.LEGEND)
                .contains("deposedWritesAccepted", "deposedWritesRefused", "newMasterSeconds", "convergedSeconds");
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void theJsonKeepsEveryFieldAndTheWholeNote(long seed) {
        for (FaultPlan.Result r : draw(new Random(seed))) {
            String j = r.json();
            assertThat(j).as("seed %d", seed).contains("\"fault\":\"" + r.fault() + "\"",
                    "\"deposedWritesAccepted\":" + r.deposedWritesAccepted() + ",",
                    "\"deposedWritesRefused\":" + r.deposedWritesRefused() + ",",
                    "\"lostOnProgrammedFlows\":" + r.lostOnProgrammedFlows() + ",",
                    "\"note\":\"" + r.note().replace("\"", "'") + "\"");
        }
    }
}
