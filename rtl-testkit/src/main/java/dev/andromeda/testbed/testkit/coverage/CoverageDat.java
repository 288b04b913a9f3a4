package dev.andromeda.testbed.testkit.coverage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Verilator coverage file ({@code .dat}, "SystemC::Coverage-3") read point by point, and its
 * summary per block. A line is {@code C '<keys>' <count>}, the keys {@code \u0001key\u0002value}
 * pairs: {@code f} file, {@code l} line, {@code page} {@code v_<kind>/<module>}, {@code o} the
 * point's comment (a toggled bit's name), {@code h} its hierarchy, whose first name is the
 * model -- the block, as the testbed names every model's context after its top.
 *
 * <p>Kinds: {@code line} (Verilator's {@code v_line} blocks and {@code v_branch} if/else arms:
 * what {@code --coverage-line} adds), {@code toggle} (one point per bit), {@code user} (the
 * design's {@code cover property}). A point is covered when its count is at least 1.
 */
public final class CoverageDat {
    /** One coverage point. */
    public record Point(String block, String kind, String file, int line, String comment, long count) {
    }

    /** Covered and total points of one kind. */
    public record Tally(long covered, long total) {
        public double percent() {
            return total == 0 ? 0 : 100.0 * covered / total;
        }

        Tally plus(boolean hit) {
            return new Tally(covered + (hit ? 1 : 0), total + 1);
        }
    }

    /** A block's points by kind: line, toggle, user. */
    public record BlockSummary(String block, Tally lines, Tally toggles, Tally user) {
    }

    private CoverageDat() {
    }

    public static List<Point> read(Path dat) {
        List<String> text;
        try {
            text = Files.readAllLines(dat, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dat, e);
        }
        if (text.isEmpty() || !text.getFirst().startsWith("# SystemC::Coverage")) {
            throw new IllegalArgumentException(dat + " is not a Verilator coverage file (no '# SystemC::Coverage' header)");
        }
        List<Point> points = new ArrayList<>();
        for (int i = 1; i < text.size(); i++) {
            String l = text.get(i);
            if (!l.startsWith("C '")) {
                continue;
            }
            int close = l.lastIndexOf('\'');
            Map<String, String> keys = keys(l.substring(3, close));
            long count = Long.parseLong(l.substring(close + 1).trim());
            String page = keys.getOrDefault("page", "");
            String kind = page.startsWith("v_") && page.indexOf('/') > 2 ? page.substring(2, page.indexOf('/')) : page;
            if (kind.equals("branch")) {
                kind = "line";
            }
            String hier = keys.getOrDefault("h", "");
            String block = hier.contains(".") ? hier.substring(0, hier.indexOf('.')) : hier;
            points.add(new Point(block, kind, keys.getOrDefault("f", ""), Integer.parseInt(keys.getOrDefault("l", "0")),
                    keys.getOrDefault("o", ""), count));
        }
        return points;
    }

    private static Map<String, String> keys(String s) {
        Map<String, String> m = new HashMap<>();
        for (String kv : s.split("\u0001")) {
            int sep = kv.indexOf('\u0002');
            if (sep > 0) {
                m.put(kv.substring(0, sep), kv.substring(sep + 1));
            }
        }
        return m;
    }

    /** Covered of total points per block and kind, blocks in name order. */
    public static List<BlockSummary> summarize(List<Point> points) {
        Map<String, Tally[]> by = new TreeMap<>();
        for (Point p : points) {
            Tally[] t = by.computeIfAbsent(p.block(), b -> new Tally[] {new Tally(0, 0), new Tally(0, 0), new Tally(0, 0)});
            int k = switch (p.kind()) {
                case "line" -> 0;
                case "toggle" -> 1;
                case "user" -> 2;
                default -> -1;   // expression/FSM points of later Verilators: not summarized
            };
            if (k >= 0) {
                t[k] = t[k].plus(p.count() > 0);
            }
        }
        List<BlockSummary> out = new ArrayList<>();
        by.forEach((b, t) -> out.add(new BlockSummary(b, t[0], t[1], t[2])));
        return out;
    }
}
