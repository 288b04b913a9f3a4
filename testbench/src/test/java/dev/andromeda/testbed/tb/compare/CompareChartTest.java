package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compare chart as a picture: rendered to a PNG and read back, the break-even
 * line stands at the size {@link BreakEven} found (its pixel column painted in the
 * annotation colour over most of the plot's height), and the axes show plain
 * numbers over the measured range.
 */
class CompareChartTest {
    private static final int[] SIZES = {64, 256, 1500, 9000};

    /** Software grows with size; the block's host share stays flat: offload pays from between 256 and 1,500 B. */
    private static List<StageCost> costs() {
        List<StageCost> c = new ArrayList<>();
        double[] sw = {300, 600, 2500, 14000};
        for (int i = 0; i < SIZES.length; i++) {
            c.add(new StageCost("sw", Stage.CHECKSUM, SIZES[i], 0, 100, sw[i], 0, 0, 0, 0, null, null));
            c.add(new StageCost("rtl-ffm", Stage.CHECKSUM, SIZES[i], 0, 100, 400, 30 + SIZES[i] / 8.0,
                    (30 + SIZES[i] / 8.0) * 4, 1000, 0, null, null));
        }
        return c;
    }

    @Test
    void theBreakEvenIsALineAtItsSizeAndTheAxesShowPlainNumbers(@TempDir Path dir) throws Exception {
        List<StageCost> costs = costs();
        BreakEven.Verdict v = BreakEven.find(BreakEven.points(
                costs.stream().filter(StageCost::software).toList(),
                costs.stream().filter(x -> !x.software()).toList()), 1.0);
        assertThat(v.kind()).as(v.describe()).isEqualTo(BreakEven.Kind.AT);

        XYChart chart = CompareChart.chart(Stage.CHECKSUM, costs, 250, Map.of("rtl-ffm", v));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(
                BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG)));
        int x = (int) Math.round(chart.getScreenXFromChart(v.size()));
        Color line = chart.getStyler().getAnnotationLineColor();
        int top = (int) chart.getScreenYFromChart(chart.getStyler().getYAxisMax());
        int bottom = (int) chart.getScreenYFromChart(chart.getStyler().getYAxisMin());
        int painted = 0;
        for (int y = top; y <= bottom; y++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (img.getRGB(x + dx, y) == line.getRGB()) {
                    painted++;
                    break;
                }
            }
        }
        assertThat(painted).as("pixels of the break-even line at x=%d (%.0f B) of %d", x, v.size(), bottom - top)
                .isGreaterThan((bottom - top) / 2);
        assertThat(chart.getStyler().getXAxisDecimalPattern()).isEqualTo("#,###");
        assertThat(chart.getStyler().getYAxisDecimalPattern()).isEqualTo("#,###");
        assertThat(chart.getStyler().getXAxisMin()).isLessThan(SIZES[0]);
        assertThat(chart.getStyler().getXAxisMax()).isGreaterThan(SIZES[SIZES.length - 1]);

        Path png = CompareChart.write(Stage.CHECKSUM, costs, 250, Map.of("rtl-ffm", v), dir.resolve("c.png"));
        assertThat(Files.size(png)).isPositive();
        if (System.getProperty("tb.chart.keep") != null) {
            Files.copy(png, Path.of(System.getProperty("tb.chart.keep")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
