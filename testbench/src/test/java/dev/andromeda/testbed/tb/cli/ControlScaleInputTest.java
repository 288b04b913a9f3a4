package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Unwrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 point 3: {@code tb control-scale} on large input is refused up front in one line (it
 * used to end in an OutOfMemoryError stack trace, or hang silently), and a long run says where it is.
 * What the heap estimate is worth is checked against a real JVM's heap in {@link LauncherTest}.
 */
@Timeout(120)
class ControlScaleInputTest {
    private final StringWriter err = new StringWriter();

    @Test
    void hostsAboveVmsAreRefused() {
        int[] code = {-1};
        String out = InProcessTb.run(err, code, "control-scale", "--vms", "100", "--hosts", "101");
        assertThat(code[0]).isEqualTo(1);
        assertThat(Unwrap.of(err).lines().findFirst().orElse(""))
                .isEqualTo("tb: --hosts 101 is above --vms 100: hosts without VMs program nothing;"
                        + " give at least as many VMs as hosts");
        assertThat(out).isEmpty();
    }

    @Test
    void aNetworkLargerThanTheHeapIsRefusedInOneLineBeforeAnythingIsBuilt() {
        String heap = String.format("this JVM has %,d MB", Runtime.getRuntime().maxMemory() >> 20);
        String[][] cases = {{"--vms", "99999999", "--hosts", "99999999"}, {"--vms", "2000000000"}};
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            int[] code = {-1};
            String[] args = new String[c.length + 1];
            args[0] = "control-scale";
            System.arraycopy(c, 0, args, 1, c.length);
            String out = InProcessTb.run(err, code, args);
            String why = Arrays.toString(c) + ": " + err;
            assertThat(code[0]).as(why).isEqualTo(1);
            List<String> lines = Unwrap.of(err).lines().toList();
            assertThat(lines).as(why).hasSize(1);
            assertThat(lines.get(0)).as(why).startsWith("tb: control-scale: ")
                    .contains(String.format("%,d VMs over", Integer.parseInt(c[1])), "MB of heap", heap)
                    .doesNotContain("Exception", "Error");
            assertThat(out).as("nothing ran: " + why).isEmpty();
        }
    }

    @Test
    void aLongRunSaysWhereItIsOnStderrAndAQuickOneSaysNothing() {
        String longRun = stderrOf("--vms", "200000", "--hosts", "1000");
        // Not a terminal here, so Progress prints one line per phase (a terminal gets one redrawn line).
        assertThat(longRun.lines().toList()).as(longRun).containsSubsequence(
                "  building the network: VMs ...", "  programming hosts ...", "  programming hoverboard routes ...");
        assertThat(longRun.lines().filter(l -> l.contains("programming hosts")).count()).as(longRun).isEqualTo(1);
        assertThat(stderrOf("--vms", "4000", "--hosts", "1000")).isEmpty();
    }

    /** What control-scale printed on System.err (where Progress writes) and picocli's error writer. */
    private String stderrOf(String... sizes) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        err.getBuffer().setLength(0);
        int[] code = {-1};
        try {
            String[] args = new String[sizes.length + 5];
            args[0] = "control-scale";
            System.arraycopy(sizes, 0, args, 1, sizes.length);
            args[sizes.length + 1] = "--program-latency";
            args[sizes.length + 2] = "0";
            args[sizes.length + 3] = "--mode";
            args[sizes.length + 4] = "counted";
            InProcessTb.run(err, code, args);
        } finally {
            System.setErr(old);
        }
        assertThat(code[0]).as(err.toString()).isZero();
        return buf.toString(StandardCharsets.UTF_8) + err;
    }
}
