package dev.andromeda.testbed.hw.synth;

import dev.andromeda.testbed.hw.tools.ExternalTool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A block read by a third tool, yosys: elaborated from its sources with {@code hierarchy -check},
 * its processes lowered, flattened, and checked -- {@code check -assert} (no multiple drivers, no
 * combinational loop, nothing undriven) and no latch of any kind ({@code select -assert-none}
 * on {@code $dlatch}, {@code $sr}, {@code $dlatchsr}) -- then mapped to yosys's generic gates for
 * a cell count and the longest topological path ({@code ltp -noff}).
 *
 * <p>That mapping is not {@code synth}: without ABC's logic optimisation the depth is an upper
 * bound, and the cells count gates, not LUTs. The datasheets' figures come from the full
 * {@code synth} in {@code rtl/synth.sh}, which takes minutes for the larger blocks; this check
 * takes seconds and runs in the suite.
 */
public final class YosysCheck {
    /** What yosys found: generic-gate cells and logic depth, and its log. */
    public record Outcome(boolean passed, long cells, int depth, String log) {
    }

    private static final long TIMEOUT_SECONDS = 600;
    private static final Pattern CELLS = Pattern.compile("Number of cells:\\s+(\\d+)");
    private static final Pattern DEPTH = Pattern.compile("Longest topological path in \\S+ \\(length=(\\d+)\\)");

    private YosysCheck() {
    }

    /** Null when {@code yosys} is on the PATH, else why not. */
    public static String unavailabilityCause() {
        return ExternalTool.unavailabilityCause("yosys", "yosys");
    }

    /** The yosys script for a block. */
    public static String script(String top, List<Path> sources) {
        StringBuilder s = new StringBuilder();
        for (Path p : sources) {
            s.append("read_verilog -sv ").append(p.toAbsolutePath()).append("; ");
        }
        s.append("hierarchy -check -top ").append(top).append("; proc; flatten; opt -fast; check -assert; ")
                .append("select -assert-none t:$dlatch t:$sr t:$dlatchsr t:$adlatch; ")
                .append("techmap; opt -fast; stat; ltp -noff");
        return s.toString();
    }

    public static Outcome run(String top, List<Path> sources, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path log = work.resolve("yosys-" + top + ".log"); // -q keeps stat and ltp off stdout; -l keeps them here
        ExternalTool.Run r = ExternalTool.run(List.of("yosys", "-q", "-l", log.toString(), "-p", script(top, sources)),
                work, TIMEOUT_SECONDS);
        String text = (Files.exists(log) ? Files.readString(log) : "") + r.output();
        Matcher c = CELLS.matcher(text);
        long cells = -1;
        while (c.find()) {
            cells = Long.parseLong(c.group(1)); // the last: the whole design after flattening
        }
        Matcher d = DEPTH.matcher(text);
        int depth = d.find() ? Integer.parseInt(d.group(1)) : -1;
        return new Outcome(r.exitCode() == 0, cells, depth, text);
    }
}
