package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.Stage;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The chart of one stage's costs, drawn by XChart: CPU ns per packet against
 * packet size for every implementation (solid lines), and each hardware
 * implementation's modelled latency at the clock (dashed, same colour; grey
 * and one series when several implementations share a cycle model and so the
 * curve), so the break-even -- where a hardware CPU line sits below sw by more
 * than the weighted latency -- can be read off. Both axes are logarithmic: sizes span
 * two decades and costs from tens of nanoseconds to microseconds.
 *
 * <p>Drawn headless: {@code java.awt.headless} is set to true unless the
 * caller set it, before any AWT class loads, so it runs on servers and in CI.
 */
public final class CompareChart {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 640;

    private CompareChart() {
    }

    /**
     * Draws the stage's chart and writes it as a PNG.
     *
     * @param costs the stage's costs, every implementation and size; implementations that did not run are left out
     * @param file  where the PNG goes (parent directories are made)
     * @return the file written
     */
    public static Path write(Stage stage, List<StageCost> costs, double clockMHz,
                             Map<String, BreakEven.Verdict> breakEvens, Path file) throws IOException {
        XYChart chart = chart(stage, costs, clockMHz, breakEvens);
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        // XChart appends ".png" unless the name already ends with it; write where asked either way.
        try (var out = Files.newOutputStream(absolute)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return absolute;
    }

    /**
     * The chart itself, for callers that want to show or save it otherwise.
     *
     * @param breakEvens each hardware implementation's verdict (by implementation name); those with a
     *                   break-even size are drawn as a vertical line
     */
    public static XYChart chart(Stage stage, List<StageCost> costs, double clockMHz,
                                Map<String, BreakEven.Verdict> breakEvens) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("tb compare: " + stage.label() + " stage (" + stage.block() + " in hardware)")
                .xAxisTitle("packet size (bytes)")
                .yAxisTitle("ns per packet")
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartTitleVisible(true);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        // Plain numbers on both axes ("10,000", not "1E4" beside "1000").
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###");

        Map<String, List<StageCost>> byImpl = new LinkedHashMap<>();
        for (StageCost c : costs) {
            if (c.ran()) {
                byImpl.computeIfAbsent(c.impl(), k -> new ArrayList<>()).add(c);
            }
        }
        // Implementations of one block with one cycle model draw the same latency curve: one
        // series for all of them, so none hides another.
        Map<List<Double>, List<String>> latencyCurves = new LinkedHashMap<>();
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Map.Entry<String, List<StageCost>> e : byImpl.entrySet()) {
            List<StageCost> line = bySize(e.getValue());
            Color c = PALETTE[colours.size() % PALETTE.length];
            colours.put(e.getKey(), c);
            XYSeries cpu = chart.addSeries(e.getKey() + " CPU ns/pkt", sizes(line),
                    positive(line.stream().mapToDouble(StageCost::cpuNsPerJob).toArray()));
            cpu.setLineColor(c);
            cpu.setMarkerColor(c);
            cpu.setMarker(SeriesMarkers.CIRCLE);
            if (!line.getFirst().software()) {
                List<Double> key = new ArrayList<>();
                for (StageCost s : line) {
                    key.add((double) s.size());
                    key.add(s.hwNsPerJob());
                }
                latencyCurves.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (List<String> impls : latencyCurves.values()) {
            List<StageCost> line = bySize(byImpl.get(impls.getFirst()));
            Color c = impls.size() == 1 ? colours.get(impls.getFirst()) : Color.GRAY;
            XYSeries hw = chart.addSeries(String.format(Locale.ROOT, "%s hw ns/pkt @%.0f MHz",
                            String.join(" = ", impls), clockMHz),
                    sizes(line), positive(line.stream().mapToDouble(StageCost::hwNsPerJob).toArray()));
            hw.setLineColor(c);
            hw.setMarkerColor(c);
            hw.setMarker(SeriesMarkers.DIAMOND);
            hw.setLineStyle(SeriesLines.DASH_DASH);
        }
        label(chart, breakEvens);
        return chart;
    }

    /**
     * Fixes the axes' ranges (so that labels placed in chart coordinates land
     * inside the plot) and adds the labels XChart's log axes leave out.
     */
    private static void label(XYChart chart, Map<String, BreakEven.Verdict> breakEvens) {
        double xMin = Double.MAX_VALUE;
        double xMax = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        TreeSet<Double> sizes = new TreeSet<>();
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double x : s.getXData()) {
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
                sizes.add(x);
            }
            for (double y : s.getYData()) {
                yMin = Math.min(yMin, y);
                yMax = Math.max(yMax, y);
            }
        }
        if (sizes.isEmpty()) {
            return;
        }
        // Room below the lowest point for the size labels, left of the smallest size for the y labels.
        double bottom = yMin / 2.2;
        double top = yMax * 1.6;
        double left = xMin / 1.6;
        chart.getStyler().setXAxisMin(left).setXAxisMax(xMax * 1.3).setYAxisMin(bottom).setYAxisMax(top);
        for (double x : sizes) {
            chart.addAnnotation(new AnnotationText(String.format(Locale.ROOT, "%,.0f B", x), x, yMin / 1.6, false));
        }
        for (double decade = Math.pow(10, Math.floor(Math.log10(bottom))); decade < top; decade *= 10) {
            for (int k : new int[] {2, 5}) {
                double y = k * decade;
                if (y > bottom * 1.15 && y < top / 1.15) {
                    chart.addAnnotation(new AnnotationText(String.format(Locale.ROOT, "%,.0f", y), left * 1.12, y,
                            false));
                }
            }
        }
        Map<Double, List<String>> lines = new TreeMap<>();
        breakEvens.forEach((impl, v) -> {
            if (v.kind() == BreakEven.Kind.AT) {
                lines.computeIfAbsent(v.size(), k -> new ArrayList<>()).add(impl);
            }
        });
        double y = top / 1.25;
        for (Map.Entry<Double, List<String>> e : lines.entrySet()) {
            chart.addAnnotation(new AnnotationLine(e.getKey(), true, false));
            chart.addAnnotation(new AnnotationText(String.format(Locale.ROOT, "%s pays from ~%,.0f B",
                    String.join(" = ", e.getValue()), e.getKey()), e.getKey(), y, false));
            y /= 1.35; // several break-evens: their labels one under another
        }
    }

    /** Distinct, colour-blind-friendly colours (Okabe and Ito), one per implementation. */
    private static final Color[] PALETTE = {
            new Color(0, 0, 0), new Color(230, 159, 0), new Color(0, 114, 178),
            new Color(0, 158, 115), new Color(204, 121, 167), new Color(213, 94, 0),
            new Color(86, 180, 233)};

    private static List<StageCost> bySize(List<StageCost> costs) {
        return costs.stream().sorted(Comparator.comparingInt(StageCost::size)).toList();
    }

    private static double[] sizes(List<StageCost> line) {
        return line.stream().mapToDouble(StageCost::size).toArray();
    }

    /**
     * A log axis cannot show zero: a cost measured as 0 ns (below the timer's
     * resolution) is drawn at 0.1 ns, the bottom of any chart this draws.
     */
    private static double[] positive(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(values[i], 0.1);
        }
        return values;
    }
}
