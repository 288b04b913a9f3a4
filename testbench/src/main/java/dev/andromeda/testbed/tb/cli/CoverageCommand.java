package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.tb.report.TextTable;
import dev.andromeda.testbed.testkit.coverage.CoverGroup;
import dev.andromeda.testbed.testkit.coverage.CoverageDat;
import dev.andromeda.testbed.testkit.coverage.Coverpoint;
import dev.andromeda.testbed.testkit.coverage.FunctionalCoverage;
import dev.andromeda.testbed.testkit.coverage.VerilatorCoverage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code tb coverage}: every run's coverage in a folder, merged and reported per block. */
@Command(name = "coverage", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Merge and report the coverage that runs wrote into a folder: 'tb cosim --coverage', 'tb sim",
                "--coverage', and rtl-testkit tests (Dut.coverage(dir), or any test run with",
                "-Dtb.coverage.dir=DIR). Each run leaves its own Verilator .dat file (line, toggle and user",
                "'cover property' points of the coverage build of its model) and its functional cover groups",
                "(.cover.json); this sums them across seeds and tests with verilator_coverage --write into",
                "DIR/merged.dat, writes the annotated sources (verilator_coverage --annotate: '%000000' in the",
                "margin marks a point never hit), and prints per block the points covered of the total --",
                "line points (statement blocks and if/else arms), toggle points (one per bit) and user cover",
                "points -- and, beside it, every cover group's bins.",
                ""},
        footer = {"", "Exit status: 0 reported; 1 usage error or no coverage data in the folder."})
public final class CoverageCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR",
            description = "The coverage folder (default target/coverage in the clone, where tb cosim --coverage writes).")
    Path dir;

    @Option(names = "--annotate", paramLabel = "OUTDIR",
            description = "Where the annotated sources go (default DIR/annotated).")
    Path annotate;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON.")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The default folder of tb cosim --coverage, tb sim --coverage and tb coverage. */
    static Path defaultDir() {
        return UserDir.scratch("target/coverage");
    }

    @Override
    public Integer call() throws IOException {
        dir = dir != null ? dir : defaultDir();
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no coverage folder " + dir
                    + " (run 'tb cosim --coverage', 'tb sim --coverage' or tests with -Dtb.coverage.dir first)");
        }
        List<Path> runs = VerilatorCoverage.runs(dir);
        List<CoverGroup> groups = FunctionalCoverage.read(dir);
        if (runs.isEmpty() && groups.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no coverage data in " + dir
                    + " (no .dat or .cover.json files; run 'tb cosim --coverage' or a test with -Dtb.coverage.dir)");
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode report = mapper.createObjectNode().put("dir", dir.toAbsolutePath().toString());
        if (!runs.isEmpty()) {
            String cause = VerilatorCoverage.unavailabilityCause();
            if (cause != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), cause);
            }
            Path merged = dir.resolve(VerilatorCoverage.MERGED);
            VerilatorCoverage.merge(runs, merged);
            Path out = annotate != null ? annotate : dir.resolve("annotated");
            VerilatorCoverage.Total total = VerilatorCoverage.annotate(merged, out);
            List<CoverageDat.BlockSummary> blocks = CoverageDat.summarize(CoverageDat.read(merged));
            Map<String, Integer> runsPerBlock = runsPerBlock(runs);
            TextTable t = new TextTable("block", "runs", "line points", "%", "toggle points", "%", "user", "%");
            ArrayNode jb = report.putArray("blocks");
            for (CoverageDat.BlockSummary b : blocks) {
                t.row(b.block(), runsPerBlock.getOrDefault(b.block(), 0), of(b.lines()), pct(b.lines()),
                        of(b.toggles()), pct(b.toggles()), of(b.user()), pct(b.user()));
                ObjectNode n = jb.addObject().put("block", b.block()).put("runs", runsPerBlock.getOrDefault(b.block(), 0));
                tally(n.putObject("line"), b.lines());
                tally(n.putObject("toggle"), b.toggles());
                tally(n.putObject("user"), b.user());
            }
            System.out.println("Verilator coverage of " + runs.size() + " run(s), merged into");
            System.out.println("  " + merged);
            System.out.print(t.render());
            System.out.printf(Locale.ROOT, "verilator_coverage total %d/%d (%.1f %%; its points grouped by source"
                    + " line).%nAnnotated sources ('%%000000' = never hit):%n  %s%n", total.covered(), total.total(),
                    total.percent(), out);
            report.put("merged", merged.toAbsolutePath().toString()).put("annotated", out.toAbsolutePath().toString());
            report.putObject("verilator_coverage_total").put("covered", total.covered()).put("total", total.total());
        } else {
            System.out.println("No Verilator coverage files (only cover groups) in");
            System.out.println("  " + dir);
        }
        ArrayNode jg = report.putArray("functional");
        if (!groups.isEmpty()) {
            System.out.println();
            System.out.println("Functional coverage (cover groups, summed over every run)");
            TextTable f = new TextTable("point", "bins hit", "samples", "outside", "bins never hit");
            for (CoverGroup g : groups) {
                f.section(g.name());
                jg.add(g.toJson());
                for (Coverpoint p : g.points()) {
                    long samples = p.outside() + p.bins().stream().mapToLong(Coverpoint.Bin::hits).sum();
                    List<String> holes = p.bins().stream().filter(b -> b.hits() == 0).map(Coverpoint.Bin::name).toList();
                    f.row("  " + p.name(), p.binsHit() + "/" + p.bins().size(), samples, p.outside(),
                            holes.isEmpty() ? "-" : "[" + clip(String.join(", ", holes), 28) + "]");
                }
            }
            System.out.print(f.render());
        }
        if (json != null) {
            mapper.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), report);
        }
        return 0;
    }

    /** A run's file starts with its block: {@code <block>-<backend>-...dat} (CoverageFiles). */
    private static Map<String, Integer> runsPerBlock(List<Path> runs) {
        Map<String, Integer> m = new TreeMap<>();
        for (Path r : runs) {
            String name = r.getFileName().toString();
            int dash = name.indexOf('-');
            m.merge(dash > 0 ? name.substring(0, dash) : name, 1, Integer::sum);
        }
        return m;
    }

    private static String of(CoverageDat.Tally t) {
        return t.total() == 0 ? "-" : t.covered() + "/" + t.total();
    }

    private static String pct(CoverageDat.Tally t) {
        return t.total() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", t.percent());
    }

    private static void tally(ObjectNode n, CoverageDat.Tally t) {
        n.put("covered", t.covered()).put("total", t.total());
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
