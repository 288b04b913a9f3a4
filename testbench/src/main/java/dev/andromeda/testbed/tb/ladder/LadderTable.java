package dev.andromeda.testbed.tb.ladder;

import dev.andromeda.testbed.tb.report.TerminalWidth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The ladder as a terminal table: a row per rung, then the first-to-last ratios beside the paper's. */
public final class LadderTable {
    private LadderTable() {
    }

    public static List<String> render(VersionLadder.Result r, int width) {
        List<String> out = new ArrayList<>();
        out.add("Version ladder (9,000-byte stream; 64-byte ping-pong; this machine)");
        out.add(String.format(Locale.ROOT, "%-14s %9s %10s %10s %11s", "rung", "Gb/s", "RTT us", "p99 us",
                "cycles/B"));
        for (VersionLadder.Point p : r.points()) {
            out.add(String.format(Locale.ROOT, "%-14s %9.2f %10.1f %10.1f %11.2f", p.rung(), p.gbps(),
                    p.rttMedianUs(), p.rttP99Us(), p.cyclesPerByte()));
        }
        out.add(String.format(Locale.ROOT, "%s -> %s: throughput x%.1f (paper ~19), latency /%.1f (paper ~7),",
                r.first().rung(), r.last().rung(), r.throughputRatio(), r.latencyRatio()));
        out.add(String.format(Locale.ROOT, "  cycles/byte /%.1f (paper ~16)", r.cyclesPerByteRatio()));
        List<String> wrapped = new ArrayList<>(out);
        for (VersionLadder.Point p : r.points()) {
            wrapped.addAll(TerminalWidth.wrap("  " + p.rung() + ": " + p.configuration(), width, 4));
        }
        wrapped.addAll(TerminalWidth.wrap("  cycles/byte: " + r.method(), width, 4));
        return wrapped;
    }
}
