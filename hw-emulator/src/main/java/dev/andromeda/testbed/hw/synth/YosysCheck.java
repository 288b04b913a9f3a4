package dev.andromeda.testbed.hw.synth;

import dev.andromeda.testbed.hw.tools.ExternalTool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 *
 * <p>A block that instantiates others can be read with them as black boxes
 * ({@code read_verilog -lib}: ports only), so the suite checks each block's logic once: the NIC's
 * own, csum_offload's in its own row. A loop through an instance is then out of this check's
 * sight; Verilator's lint of the whole ({@code UNOPTFLAT}) and the Icarus replay still see it.
 * {@code ltp} reads only yosys's own cells ({@code t:$*}), so a path stops at a black box as at
 * a flip-flop instead of running through it as one level.
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
        return script(top, sources, List.of());
    }

    /** The yosys script for a block, the modules of {@code blackBoxes} read as black boxes. */
    public static String script(String top, List<Path> sources, List<Path> blackBoxes) {
        StringBuilder s = read(sources, blackBoxes);
        s.append("hierarchy -check -top ").append(top).append("; proc; flatten; opt -fast; check -assert; ")
                .append("select -assert-none t:$dlatch t:$sr t:$dlatchsr t:$adlatch; ")
                .append("techmap; opt -fast; stat; ltp -noff t:$* w:* %u");
        return s.toString();
    }

    public static Outcome run(String top, List<Path> sources, Path work) throws IOException, InterruptedException {
        return run(top, sources, List.of(), work);
    }

    /** The check of {@code top}, the modules of {@code blackBoxes} read as black boxes. */
    public static Outcome run(String top, List<Path> sources, List<Path> blackBoxes, Path work)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path log = work.resolve("yosys-" + top + ".log"); // -q keeps stat and ltp off stdout; -l keeps them here
        ExternalTool.Run r = ExternalTool.run(List.of("yosys", "-q", "-l", log.toString(), "-p", script(top, sources, blackBoxes)),
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

    /**
     * A RAM as yosys infers it ({@code $mem_v2} with a write port), after {@code memory_dff}
     * has folded registers into its read ports: {@code readsClocked} when every read port is
     * synchronous, what a block RAM (iCE40 SB_RAM40_4K, a Xilinx RAMB36) offers -- an
     * asynchronous read maps to flip-flops and muxes instead. {@code readsReset}: a read register
     * with a reset, which a block RAM lacks; yosys emulates it with logic after the RAM.
     */
    public record Ram(String name, int words, int width, boolean readsClocked, boolean readsReset) {
    }

    /** The script that infers a block's RAMs ({@code memory -nomap}: memory_dff, no mapping). */
    static String ramScript(String top, List<Path> sources, List<Path> blackBoxes) {
        return read(sources, blackBoxes).append("hierarchy -check -top ").append(top).append("; proc; opt -fast; memory -nomap; opt_clean; ")
                .append("dump t:$mem_v2 r:WR_PORTS>0 %i").toString();
    }

    private static StringBuilder read(List<Path> sources, List<Path> blackBoxes) {
        StringBuilder s = new StringBuilder();
        for (Path p : sources) {
            s.append("read_verilog -sv ").append(p.toAbsolutePath()).append("; ");
        }
        for (Path p : blackBoxes) {
            s.append("read_verilog -sv -lib ").append(p.toAbsolutePath()).append("; ");
        }
        return s;
    }

    private static final Pattern CELL = Pattern.compile("^\\s*cell \\$mem_v2 (\\S+)");
    private static final Pattern PARAM = Pattern.compile("^\\s*parameter \\\\(\\w+) (\\S+)");
    private static final Pattern CONNECT = Pattern.compile("^\\s*connect \\\\(RD_SRST|RD_ARST) (.+)$");

    /** The RAMs yosys infers in a block (ROMs, with no write port, are not RAMs). */
    public static List<Ram> rams(String top, List<Path> sources, Path work) throws IOException, InterruptedException {
        return rams(top, sources, List.of(), work);
    }

    /** The RAMs yosys infers in {@code top}'s own logic, the modules of {@code blackBoxes} read as black boxes. */
    public static List<Ram> rams(String top, List<Path> sources, List<Path> blackBoxes, Path work)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path log = work.resolve("yosys-rams-" + top + ".log");
        ExternalTool.Run r = ExternalTool.run(List.of("yosys", "-q", "-l", log.toString(), "-p",
                ramScript(top, sources, blackBoxes)), work, TIMEOUT_SECONDS);
        String text = Files.exists(log) ? Files.readString(log) : "";
        if (r.exitCode() != 0) {
            throw new IOException("yosys failed on " + top + ":\n" + text + r.output());
        }
        List<Ram> rams = new ArrayList<>();
        String name = null;
        int words = 0;
        int width = 0;
        boolean clocked = false;
        boolean reset = false;
        for (String line : text.lines().toList()) {
            Matcher m = CELL.matcher(line);
            if (m.find()) {
                name = m.group(1);
                words = 0;
                width = 0;
                clocked = false;
                reset = false;
                continue;
            }
            if (name == null) {
                continue;
            }
            Matcher pm = PARAM.matcher(line);
            Matcher cm = CONNECT.matcher(line);
            if (pm.find()) {
                String v = pm.group(2);
                switch (pm.group(1)) {
                    case "SIZE" -> words = Integer.parseInt(v);
                    case "WIDTH" -> width = Integer.parseInt(v);
                    case "RD_CLK_ENABLE" -> clocked = v.substring(v.indexOf('\'') + 1).chars().allMatch(c -> c == '1');
                    default -> { }
                }
            } else if (cm.find()) {
                // A reset that is not the constant 0 (1'0, 2'00 ...) is wired to something.
                String v = cm.group(2).trim();
                reset |= !v.matches("\\d+'0+");
            } else if (line.trim().equals("end")) {
                rams.add(new Ram(name, words, width, clocked, reset));
                name = null;
            }
        }
        return rams;
    }
}
