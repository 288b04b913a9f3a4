package dev.andromeda.testbed.tb.report;

import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.tb.demo.Demo;
import dev.andromeda.testbed.tb.demo.RunResult;
import dev.andromeda.testbed.tb.demo.Scoreboard;
import dev.andromeda.testbed.tb.demo.StageCost;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The demo's report as one self-contained HTML page (charts drawn by XChart,
 * embedded as PNG): the scoreboard, per-stage costs by mix, modelled hardware
 * time, and the hoverboards' share of traffic over time with the offload flows
 * programmed. Opens in any browser, no network needed.
 */
public final class DemoHtmlReport {
    private DemoHtmlReport() {
    }

    /** Writes {@code index.html} under {@code dir}; returns its path. */
    public static Path write(Demo.Report r, Path dir) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Files.createDirectories(dir);
        List<RunResult> ran = r.runs().stream().filter(RunResult::ran).toList();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tb demo: ")
                .append(esc(r.scenario().name())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
                .append("text-align:right}th{background:#eee}td:first-child{text-align:left}")
                .append(".ok{color:#080;font-weight:bold}.fail{color:#c00;font-weight:bold}img{max-width:100%}")
                .append("</style></head><body>");
        h.append("<h1>tb demo: ").append(esc(r.scenario().name())).append("</h1>");
        h.append(String.format(Locale.ROOT, "<p>%d hosts, %d hoverboard(s), model <b>%s</b>, %,d packets in %,d "
                        + "flows (%,d bytes), seed %d. Verdict: %s</p>", r.scenario().hosts(),
                r.scenario().hoverboards(), esc(r.scenario().control().model()), r.packets(), r.flows(),
                r.frameBytes(), r.scenario().seed(), r.clean() ? "<span class=ok>every run clean</span>"
                        : "<span class=fail>NOT CLEAN</span>"));
        scoreboard(h, r);
        h.append("<h2>CPU per packet by stage</h2><p>Nanoseconds on the dataplane thread per packet through the "
                + "stage (for hardware: descriptors and completions), all hosts, both directions.</p>");
        h.append(img(stageChart(ran, "CPU ns per packet", StageCost::cpuNsPerPacket)));
        h.append(String.format(Locale.ROOT, "<h2>Modelled hardware time per packet</h2><p>The blocks' cycles at "
                + "%s (zero where the stage ran in software).</p>", r.scenario().clocksText()));
        h.append(img(stageChart(ran, "hardware ns per packet", StageCost::hwNsPerPacket)));
        stageTable(h, ran);
        if (!ran.isEmpty() && !ran.getFirst().intervals().isEmpty()) {
            RunResult ref = ran.getFirst();
            h.append("<h2>Traffic through the hoverboards over time</h2><p>Share of the packets VM hosts put on the "
                    + "wire that went through a hoverboard, per control-plane interval; the VM controller moves "
                    + "flows above the threshold to direct offload flows.</p>");
            h.append(img(shareChart(ref)));
            h.append("<h3>Offload flows programmed</h3><ul>");
            ref.offloadFlows().forEach(o -> h.append("<li>").append(esc(o)).append("</li>"));
            if (ref.offloadFlows().isEmpty()) {
                h.append("<li>none</li>");
            }
            h.append("</ul>");
        }
        h.append("</body></html>\n");
        Path file = dir.resolve("index.html");
        Files.writeString(file, h);
        return file;
    }

    private static void scoreboard(StringBuilder h, Demo.Report r) {
        h.append("<h2>Scoreboard</h2><p>Every packet sent must be delivered exactly once, to its VM, "
                + "byte-identical to the all-sw run.</p><table><tr><th>mix</th><th>sent</th><th>delivered</th>"
                + "<th>lost</th><th>duplicates</th><th>misdelivered</th><th>mismatches</th><th>verdict</th>"
                + "<th>wall s</th></tr>");
        for (RunResult x : r.runs()) {
            if (!x.ran()) {
                h.append("<tr><td>").append(esc(x.mix())).append("</td><td colspan=8>unavailable: ")
                        .append(esc(x.unavailable())).append("</td></tr>");
                continue;
            }
            Scoreboard.Verdict v = x.verdict();
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
                            + "<td>%d</td><td>%d</td><td class=%s>%s</td><td>%.2f</td></tr>", esc(x.mix()), v.sent(),
                    v.delivered(), v.lost(), v.duplicates(), v.misdelivered(), v.mismatches(),
                    v.clean() ? "ok" : "fail", v.clean() ? "ok" : "FAIL", x.wallNs() / 1e9));
        }
        h.append("</table>");
    }

    private static void stageTable(StringBuilder h, List<RunResult> ran) {
        h.append("<table><tr><th>mix</th><th>stage</th><th>impl</th><th>packets</th><th>CPU ns/pkt</th>"
                + "<th>hw cycles/pkt</th><th>hw ns/pkt</th><th>simulation ms</th></tr>");
        for (RunResult x : ran) {
            for (StageCost s : x.stages()) {
                // As the terminal's table: a software stage has no hardware figures ("-", not 0.0).
                boolean hw = s.hwCycles() > 0 || !s.impl().equals("sw");
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%.1f</td>"
                                + "<td>%s</td><td>%s</td><td>%s</td></tr>", esc(x.mix()), s.stage(), s.impl(),
                        s.packets(), s.cpuNsPerPacket(), hw ? one(s.hwCyclesPerPacket()) : "-",
                        hw ? one(s.hwNsPerPacket()) : "-", hw ? one(s.simNs() / 1e6) : "-"));
            }
        }
        h.append("</table>");
    }

    private static String one(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static CategoryChart stageChart(List<RunResult> ran, String yTitle, ToDoubleFunction<StageCost> value) {
        CategoryChart c = new CategoryChartBuilder().width(1100).height(420).title(yTitle + " by stage mix")
                .xAxisTitle("stage mix").yAxisTitle(yTitle).build();
        // Short mix names, level: a rotated label's end sits at its group's centre, so a long
        // rotated name reads as the group to its left.
        List<String> mixes = ran.stream().map(x -> StageMix.parse(x.mix()).shortName()).toList();
        for (String stage : List.of("checksum", "copy", "crypto")) {
            List<Double> ys = new ArrayList<>();
            for (RunResult x : ran) {
                ys.add(x.stages().stream().filter(s -> s.stage().equals(stage)).mapToDouble(value).sum());
            }
            if (!mixes.isEmpty()) {
                c.addSeries(stage, mixes, ys);
            }
        }
        return c;
    }

    private static XYChart shareChart(RunResult ref) {
        XYChart c = new XYChartBuilder().width(1100).height(360).title("share of traffic through hoverboards")
                .xAxisTitle("control-plane interval").yAxisTitle("share (%)").build();
        List<Integer> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (RunResult.Interval i : ref.intervals()) {
            xs.add(i.index());
            ys.add(100 * i.hoverboardShare());
        }
        c.addSeries("via hoverboards", xs, ys);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        return c;
    }

    private static String img(Chart<?, ?> chart) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return "<p><img alt=\"" + esc(chart.getTitle()) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\"></p>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
