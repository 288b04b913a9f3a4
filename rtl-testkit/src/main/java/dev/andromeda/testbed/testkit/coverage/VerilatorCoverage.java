package dev.andromeda.testbed.testkit.coverage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Verilator's own coverage tool, {@code verilator_coverage}, over a folder of per-run files:
 * {@code --write} sums them into one (every run of every seed and test), {@code --annotate}
 * writes each source with the count of its points in the margin ({@code %000000} marks a
 * point never hit: {@code --annotate-min 1}, so one hit counts as covered, as in
 * {@link CoverageDat}).
 */
public final class VerilatorCoverage {
    /** The merged file {@code tb coverage} writes into the coverage folder; never read as a run. */
    public static final String MERGED = "merged.dat";
    private static final Pattern TOTAL = Pattern.compile("Total coverage \\((\\d+)/(\\d+)\\)");

    /** verilator_coverage's own figure: covered of total (its points grouped by source position). */
    public record Total(long covered, long total) {
        public double percent() {
            return total == 0 ? 0 : 100.0 * covered / total;
        }
    }

    private VerilatorCoverage() {
    }

    /** The per-run {@code .dat} files under {@code dir} (not {@value #MERGED}), in name order. */
    public static List<Path> runs(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".dat") && !f.getFileName().toString().equals(MERGED))
                    .filter(f -> f.toFile().length() > 0)   // named, never written (a run still going)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Sums the runs into {@code out} ({@code verilator_coverage --write}). */
    public static void merge(List<Path> runs, Path out) {
        List<String> cmd = new ArrayList<>(List.of("verilator_coverage", "--write", out.toString()));
        runs.forEach(r -> cmd.add(r.toString()));
        run(cmd);
    }

    /** Annotated sources of {@code dat} into {@code outDir}; returns the tool's total. */
    public static Total annotate(Path dat, Path outDir) {
        String printed = run(List.of("verilator_coverage", "--annotate", outDir.toString(), "--annotate-all", "--annotate-min", "1",
                dat.toString()));
        Matcher m = TOTAL.matcher(printed);
        if (!m.find()) {
            throw new IllegalStateException("verilator_coverage printed no total:\n" + printed);
        }
        return new Total(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    /** Null when verilator_coverage runs here; otherwise why not, with what to install. */
    public static String unavailabilityCause() {
        try {
            Process p = new ProcessBuilder("verilator_coverage", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "verilator_coverage --version failed";
        } catch (IOException e) {
            return "verilator_coverage not found on PATH (it comes with Verilator: sudo apt-get install -y verilator)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(String.join(" ", cmd.subList(0, 2)) + " failed (exit " + rc + "):\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run verilator_coverage (it comes with Verilator)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running verilator_coverage", e);
        }
    }
}
