package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Unwrap;
import dev.andromeda.testbed.tb.Tb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a new user trips over on the command line (issue 15), run in-process as a user types it. */
@Timeout(120)
class CliTripUpsTest {
    private final StringWriter err = new StringWriter();

    /** Runs tb with the arguments; returns what it printed on stdout, the exit code in code[0]. */
    private String tb(int[] code, String... args) {
        return InProcessTb.run(err, code, args);
    }

    private static boolean warmupAfter(String... args) {
        picocli.CommandLine.ParseResult r = Tb.commandLine().parseArgs(args);
        return ((DemoCommand) r.subcommand().commandSpec().userObject()).noWarmup == false;
    }

    @Test
    void outputPathsAreRefusedWithTheReasonBeforeAnythingRuns(@TempDir Path tmp) throws Exception {
        Path aFile = Files.writeString(tmp.resolve("plain.txt"), "x");
        // /proc refuses mkdir even for root, so the parent can neither exist nor be created.
        String[][] cases = {
                {"cannot write /proc/nope/x.json: no such directory", "demo", "--json", "/proc/nope/x.json"},
                {"cannot write /proc/nope/x.pcap: no such directory", "demo", "--pcap", "/proc/nope/x.pcap"},
                {"cannot write " + aFile + ": not a directory", "demo", "--report", aFile.toString()},
                {"cannot write " + tmp + ": is a directory", "demo", "--json", tmp.toString()},
                {"cannot write /proc/nope/x.json: no such directory", "bench", "sim", "--quick", "--json", "/proc/nope/x.json"},
                {"cannot write /proc/nope/x.json: no such directory", "compare", "--quick", "--json", "/proc/nope/x.json"},
                {"cannot write " + aFile + "/x.json: " + aFile + " is not a directory",
                        "control-scale", "--json", aFile + "/x.json"}};
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            int[] code = {-1};
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            String out = tb(code, args);
            String why = String.join(" ", args) + "\n" + out + err;
            assertThat(code[0]).as(why).isNotZero();
            assertThat(Unwrap.of(err).lines().findFirst().orElse("")).as(why).isEqualTo("tb: " + c[0]);
            assertThat(Unwrap.of(err)).as(why).doesNotContain("Exception", "\tat ");
            assertThat(out).as("nothing ran: " + why).isEmpty();
        }
    }

    @Test
    void offloadInNamesADirectoryAndAcceptsAUtf8ByteOrderMark(@TempDir Path tmp) throws Exception {
        int[] code = {-1};
        String out = tb(code, "offload", "checksum", "--impl", "sw", "--in", tmp.toString());
        assertThat(code[0]).as(out + err).isNotZero();
        assertThat(Unwrap.of(err).lines().findFirst().orElse("")).isEqualTo("tb: --in " + tmp + ": is a directory");

        err.getBuffer().setLength(0);
        // RFC 1071 oracle by hand: the one's-complement sum of the words 0x0001 and 0x0203 is 0x0204, so 0xfdfb.
        Path in = Files.write(tmp.resolve("bom.jsonl"), ("\uFEFF{\"id\":\"j0\",\"data\":\"00010203\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        Path res = tmp.resolve("res.jsonl");
        tb(code, "offload", "checksum", "--impl", "sw", "--in", in.toString(), "--out", res.toString());
        assertThat(code[0]).as(Unwrap.of(err)).isZero();
        assertThat(Files.readString(res)).contains("\"id\":\"j0\"", "\"csum\":" + 0xfdfb);
    }

    @Test
    void noWarmupSkipsTheWarmUpAndTheDefaultWarmsUp() {
        assertThat(warmupAfter("demo", "--no-warmup")).as("--no-warmup").isFalse();
        assertThat(warmupAfter("demo")).as("default").isTrue();
    }

    @Test
    void benchSimRefusesAnUnknownBlockOrBackendBeforeJmhStarts() {
        String[][] cases = {{"--blocks", "nic", "csum_offload, dma_copy, aes_gcm"},
                {"--backends", "verilog", "emu, rtl-jni, rtl-ffm, cxx-loop"}};
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            int[] code = {-1};
            String out = tb(code, "bench", "sim", "--quick", c[0], c[1]);
            assertThat(code[0]).as(out + err).isEqualTo(1);
            String first = Unwrap.of(err).lines().findFirst().orElse("");
            assertThat(first).contains(c[0], "'" + c[1] + "'", c[2]);
            assertThat(Unwrap.of(err)).doesNotContain("Exception", "\tat ");
            assertThat(out).as("nothing ran").doesNotContain("# JMH", "# Run");
        }
    }

    /** Issue 15 point 10: JMH's hundreds of lines go to a log the command names; the terminal gets the table. */
    @Test
    void benchSimKeepsJmhsOutputInALogAndPrintsItsTable() throws Exception {
        int[] code = {-1};
        // Not a measurement: run even while another JMH holds its machine-wide lock (a helper's benchmark).
        String oldLock = System.setProperty("jmh.ignoreLock", "true");
        String out;
        try {
            out = tb(code, "bench", "sim", "--quick", "--blocks", "csum_offload", "--backends", "emu");
        } finally {
            if (oldLock == null) {
                System.clearProperty("jmh.ignoreLock");
            } else {
                System.setProperty("jmh.ignoreLock", oldLock);
            }
        }
        assertThat(code[0]).as(out + err).isZero();
        assertThat(out).doesNotContain("# JMH", "Iteration", "# Warmup");
        assertThat(out.lines().count()).as(out).isLessThan(12);
        assertThat(out).containsPattern("csum_offload +emu +[0-9]");
        String logLine = out.lines().filter(l -> l.startsWith("JMH's output: ")).findFirst().orElseThrow();
        Path log = Path.of(logLine.substring("JMH's output: ".length()));
        assertThat(Files.readString(log)).contains("# JMH version", "Iteration", "SimCycleBenchmark");
        Files.delete(log);
    }

    @Test
    void fuzzRefusesAnUnknownTargetOrABadDurationBeforeJazzerStarts(@TempDir Path tmp) {
        String[][] cases = {{"--target", "nope", "unknown target 'nope'; known: parser, receive, egress, control"},
                {"--duration", "5x", "'5x' is not a duration"},
                {"--duration", "0", "out of range"}};
        for (String[] c : cases) {
            err.getBuffer().setLength(0);
            int[] code = {-1};
            String out = tb(code, "fuzz", "--dir", tmp.toString(), c[0], c[1]);
            assertThat(code[0]).as(out + err).isEqualTo(1);
            assertThat(Unwrap.of(err).lines().findFirst().orElse("")).contains(c[0], c[2]);
            assertThat(Unwrap.of(err)).doesNotContain("Exception", "\tat ");
            assertThat(out).as("nothing ran").doesNotContain("fuzz ");
            assertThat(tmp).as("nothing written").isEmptyDirectory();
        }
    }

    @Test
    void helpDescribesTheLauncherCommandsAndNestedSubcommands() {
        for (String launcher : new String[] {"test", "build"}) {
            int[] code = {-1};
            String out = tb(code, "help", launcher);
            assertThat(code[0]).as(out + err).isZero();
            assertThat(out).contains("./tb " + launcher).doesNotContainIgnoringCase("unknown");
            for (String line : out.lines().toList()) {
                assertThat(line.length()).as("help %s at COLUMNS or 80: '%s'", launcher, line)
                        .isLessThanOrEqualTo(dev.andromeda.testbed.tb.report.TerminalWidth.get());
            }
        }
        String[][] nested = {{"offload", "checksum"}, {"bench", "sim"}};
        for (String[] n : nested) {
            int[] code = {-1};
            String out = tb(code, "help", n[0], n[1]);
            assertThat(code[0]).as(out + err).isZero();
            assertThat(out).startsWith("Usage: tb " + n[0] + " " + n[1] + " ");
        }
        int[] code = {-1};
        tb(code, "help", "bench", "nope");
        assertThat(code[0]).isEqualTo(1);
        assertThat(Unwrap.of(err)).contains("'bench nope'", "sim, fastpath");
    }

    /** Each command's entry in a list ends a sentence: none is cut off mid-sentence. */
    @Test
    void helpListsEverySubcommandWithAWholeSentence() {
        for (String[] parent : new String[][] {{"help", "bench"}, {"help", "offload"}, {"--help"}}) {
            int[] code = {-1};
            String out = tb(code, parent);
            assertThat(code[0]).isZero();
            String list = out.substring(out.indexOf("Commands:\n") + "Commands:\n".length());
            list = list.contains("\n\n") ? list.substring(0, list.indexOf("\n\n")) : list;
            // An entry starts at a line indented by two, its continuation lines deeper.
            for (String entry : list.split("\n(?=  \\S)")) {
                String text = entry.replaceAll("\\s+", " ").strip();
                assertThat(text).as(String.join(" ", parent) + ": " + entry).matches(".*[.:]$");
            }
        }
    }
}
