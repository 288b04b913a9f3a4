package dev.andromeda.testbed.tb.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15 point 9: the progress bar's line never passes the terminal's width, so it never wraps. */
class ProgressTest {

    @Test
    void theBarsLineIsExactlyAsWideAsAllowedWhateverTheLabel() {
        String longMix = "run 3/7 warm-up checksum=rtl-jni,copy=rtl-jni,crypto=rtl-jni";
        for (int columns : new int[] {79, 119}) {
            for (String label : new String[] {"programming hosts", longMix}) {
                String line = Progress.line(label, 1_234_567, 9_999_999, columns);
                assertThat(line).as("%d: %s", columns, line).hasSize(columns).contains(" 1234567/9999999");
            }
        }
        assertThat(Progress.line(longMix, 5, 10, 79)).contains("~ [##########..........] 5/10")
                .startsWith("  run 3/7 warm-up checksum=");
        assertThat(Progress.line(longMix, 5, 10, 119)).contains(longMix + " [");
    }
}
