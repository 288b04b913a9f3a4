package dev.andromeda.testbed.hw.synth;

import dev.andromeda.testbed.hw.BlockClocks;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.tools.BlockSources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each block through the full synthesis its datasheet's figures come from ({@code rtl/synth.sh}:
 * {@code synth}, RAMs kept whole, {@code check -assert}, {@code stat}, {@code ltp -noff}), at its
 * default parameters (issue 16 point 7). {@link YosysCheckTest} is the quick structural check; this
 * one holds the modelled clock to the synthesis: the logic depth yosys reports must be the depth
 * {@link BlockClocks} models the block's clock from, and its datasheet must state the same depth
 * and cell count. A change that deepens a block fails here, naming the figures to update.
 *
 * <p>A block that instantiates others (the NIC) is synthesized on its own logic, the blocks inside
 * as black boxes ({@code synth.sh --own}), since each has its row here: its clock is modelled from
 * the larger of its own depth and theirs (a clock domain runs no faster than its slowest part),
 * and its datasheet states its own cells. The flattened whole, paths through the instances
 * included, is {@code rtl/synth.sh nic}'s figure in the datasheet (the same 67 levels today); it is
 * left out of the suite because with aes_gcm inside it would synthesize aes_gcm a second time.
 * About two minutes here (aes_gcm's AES pipeline is most of it; the others take seconds); under
 * {@code CI=true} a missing yosys fails.
 */
class FullSynthesisTest {
    private static final Path RTL = Path.of("..", "rtl").toAbsolutePath().normalize();
    /** synth.sh's row: block, cells, RAMs, RAM bits, depth, seconds. */
    private static final Pattern ROW =
            Pattern.compile("^(\\w+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    @BeforeEach
    void requireYosys() {
        Backends.requireTool("yosys", YosysCheck.unavailabilityCause());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dma_copy", "csum_offload", "aes_gcm", "nic"})
    void depthIsTheOneTheModelledClockComesFromAndTheDatasheetStates(String block) throws Exception {
        List<String> inside = BlockSources.blocksInside(RTL, block);
        String out = synth(block, !inside.isEmpty());
        Matcher m = ROW.matcher(out);
        assertThat(m.find()).as("synth.sh's result row for %s in:%n%s", block, out).isTrue();
        assertThat(m.group(1)).isEqualTo(block);
        int cells = Integer.parseInt(m.group(2));
        int depth = Integer.parseInt(m.group(5));
        System.out.printf("full synthesis %s: %,d cells, %s RAMs, depth %d, %s s%n", block, cells, m.group(3),
                depth, m.group(6));

        // Its own depth, or that of the slowest block inside it.
        int modelled = Math.max(depth, inside.stream().mapToInt(BlockClocks::levels).max().orElse(0));
        assertThat(modelled).as("%s: yosys's logic depth (own %d, blocks inside %s) against BlockClocks' (the"
                + " modelled %.0f MHz comes from it); update BlockClocks and the datasheet", block, depth, inside,
                BlockClocks.mhz(block)).isEqualTo(BlockClocks.levels(block));
        String datasheet = Files.readString(RTL.resolve(block).resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(datasheet).as("%s's datasheet states the cell count of this run", block)
                .contains(String.format("%,d", cells));
    }

    /** Runs rtl/synth.sh on one block (own: its own logic only); its exit status covers {@code check -assert}. */
    private static String synth(String block, boolean own) throws IOException, InterruptedException {
        Path log = Files.createTempFile("synth-" + block, ".out");
        try {
            List<String> cmd = new ArrayList<>(List.of("bash", RTL.resolve("synth.sh").toString()));
            if (own) {
                cmd.add("--own");
            }
            cmd.add(block);
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Bounded: aes_gcm takes about 2 minutes on a quiet 2-core machine.
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("synth.sh " + block + " did not finish in 20 minutes");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("synth.sh %s (check -assert included):%n%s", block, out).isZero();
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
