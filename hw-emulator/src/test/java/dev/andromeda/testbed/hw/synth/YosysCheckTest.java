package dev.andromeda.testbed.hw.synth;

import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.tools.BlockSources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every block of {@code rtl/} read and checked by yosys ({@link YosysCheck}): no multiple
 * drivers, no combinational loop, no latch; its cells and logic depth printed. A block that
 * instantiates others (the NIC) is checked on its own logic, the blocks inside read as black
 * boxes from its model.yaml's sources: each has its own row, so no logic is checked twice (and
 * the NIC's row stays seconds when aes_gcm goes inside it). Under {@code CI=true} (./tb test) a
 * missing yosys fails the test.
 */
class YosysCheckTest {
    private static final Path RTL = Path.of("..", "rtl").toAbsolutePath().normalize();

    @BeforeEach
    void requireYosys() {
        Backends.requireTool("yosys", YosysCheck.unavailabilityCause());
    }

    /** The block's own files (its model.yaml's sources in its folder). */
    private static List<Path> sources(String block) throws Exception {
        return BlockSources.own(RTL, block);
    }

    /** The files of the blocks it instantiates, read as black boxes. */
    private static List<Path> inside(String block) throws Exception {
        return BlockSources.inside(RTL, block);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dma_copy", "csum_offload", "aes_gcm", "nic"})
    void readsWithNoLatchNoLoopAndNoSecondDriver(String block, @TempDir Path work) throws Exception {
        YosysCheck.Outcome o = YosysCheck.run(block, sources(block), inside(block), work);
        assertThat(o.passed()).as("yosys on %s:\n%s", block, tail(o.log())).isTrue();
        assertThat(o.cells()).as("%s cells", block).isPositive();
        assertThat(o.depth()).as("%s logic depth", block).isPositive();
        System.out.printf("yosys %s: %d generic cells, logic depth %d (techmap, no ABC)%n", block, o.cells(),
                o.depth());
        if (block.equals("aes_gcm")) {
            // One AES round a stage and a digit-serial GHASH: 43 here (full synth 34). Five rounds a
            // cycle behind a 15:1 round-key mux and a one-cycle 128-step GF multiply were 386.
            assertThat(o.depth()).as("aes_gcm structural logic depth").isBetween(1, 60);
        }
    }

    /**
     * csum_offload stays pipelined: its structural depth (this check's techmap, no ABC) is 21 for
     * the pipelined block and was 101 before it was pipelined (full synth: 16 and 78, the figure
     * its modelled clock comes from). A change that puts two adds back in one stage fails here.
     */
    @Test
    void csumOffloadStaysPipelined(@TempDir Path work) throws Exception {
        YosysCheck.Outcome o = YosysCheck.run("csum_offload", sources("csum_offload"), work);
        assertThat(o.passed()).as("yosys on csum_offload:\n%s", tail(o.log())).isTrue();
        assertThat(o.depth()).as("csum_offload structural logic depth").isBetween(1, 24);
    }

    /**
     * Every RAM of every block reads synchronously (the read register folded into the RAM by
     * memory_dff): block-RAM friendly. Whether a read register is also reset is printed.
     * aes_gcm has its own, stricter test (the next), which runs yosys on it once. The NIC's
     * own are its TX and RX FIFOs (the blocks inside it have their own rows).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dma_copy", "csum_offload", "nic"})
    void everyRamReadsSynchronously(String block, @TempDir Path work) throws Exception {
        List<YosysCheck.Ram> rams = YosysCheck.rams(block, sources(block), inside(block), work);
        assertThat(rams).as("%s infers its buffers as RAMs", block).isNotEmpty();
        for (YosysCheck.Ram ram : rams) {
            System.out.printf("yosys %s: RAM %s %d x %d, read clocked %b, read register reset %b%n", block,
                    ram.name(), ram.words(), ram.width(), ram.readsClocked(), ram.readsReset());
        }
        assertThat(rams).as("%s RAMs read asynchronously", block).filteredOn(ram -> !ram.readsClocked()).isEmpty();
    }

    /**
     * aes_gcm's text buffer (4,096 x 73 at the defaults) and keystream FIFO are RAMs with
     * clocked, unreset read ports (apart from reset, verilog-axis style), and there is no other
     * RAM. On the previous RTL this failed: the buffer was three RAMs whose read registers were
     * reset, and the round keys a 16-port RAM read asynchronously (checked with yosys 0.23).
     */
    @Test
    void aesGcmsRamsAreReadSynchronouslyAndNeverReset(@TempDir Path work) throws Exception {
        List<YosysCheck.Ram> rams = YosysCheck.rams("aes_gcm", sources("aes_gcm"), work);
        for (YosysCheck.Ram ram : rams) {
            System.out.printf("yosys aes_gcm: RAM %s %d x %d, read clocked %b, read register reset %b%n",
                    ram.name(), ram.words(), ram.width(), ram.readsClocked(), ram.readsReset());
        }
        assertThat(rams).extracting(YosysCheck.Ram::name).containsExactlyInAnyOrder("\\buf_mem", "\\ks_mem");
        assertThat(rams).allMatch(ram -> ram.readsClocked() && !ram.readsReset(), "read clocked and never reset");
        assertThat(rams).filteredOn(ram -> ram.name().equals("\\buf_mem")).singleElement()
                .matches(ram -> ram.words() == 4096 && ram.width() == 73, "4,096 x 73 bits");
    }

    /** The RAM check can fail: an asynchronous read, and a reset read register, are seen. */
    @Test
    void seesAnAsynchronousReadAndAResetReadRegister(@TempDir Path work) throws Exception {
        Path v = work.resolve("rams.sv");
        Files.writeString(v, """
                module rams(input logic clk, input logic rst, input logic we, input logic [3:0] wa, input logic [3:0] ra,
                            input logic [7:0] d, output logic [7:0] q_async, output logic [7:0] q_reset);
                    logic [7:0] a_mem [16];
                    logic [7:0] b_mem [16];
                    always_ff @(posedge clk) begin
                        if (we) a_mem[wa] <= d;
                        if (we) b_mem[wa] <= d;
                        if (rst) q_reset <= 8'd0; else q_reset <= b_mem[ra];
                    end
                    assign q_async = a_mem[ra];
                endmodule
                """);
        List<YosysCheck.Ram> rams = YosysCheck.rams("rams", List.of(v), work);
        assertThat(rams).extracting(YosysCheck.Ram::name).containsExactlyInAnyOrder("\\a_mem", "\\b_mem");
        assertThat(rams).filteredOn(ram -> ram.name().equals("\\a_mem")).singleElement()
                .matches(ram -> !ram.readsClocked(), "read asynchronously");
        assertThat(rams).filteredOn(ram -> ram.name().equals("\\b_mem")).singleElement()
                .matches(ram -> ram.readsClocked() && ram.readsReset(), "read clocked, register reset");
    }

    /** The check can fail: a latch (an always_comb that does not assign on every path) is refused. */
    @Test
    void refusesALatch(@TempDir Path work) throws Exception {
        Path v = work.resolve("latchy.sv");
        Files.writeString(v, """
                module latchy(input logic clk, input logic en, input logic [7:0] d, output logic [7:0] q);
                    always_comb begin
                        if (en) q = d;
                    end
                endmodule
                """);
        YosysCheck.Outcome o = YosysCheck.run("latchy", List.of(v), work);
        assertThat(o.passed()).as(o.log()).isFalse();
    }

    /** ... and two drivers on one net are refused. */
    @Test
    void refusesTwoDrivers(@TempDir Path work) throws Exception {
        Path v = work.resolve("twice.sv");
        Files.writeString(v, """
                module twice(input logic a, input logic b, output logic q);
                    assign q = a;
                    assign q = b;
                endmodule
                """);
        YosysCheck.Outcome o = YosysCheck.run("twice", List.of(v), work);
        assertThat(o.passed()).as(o.log()).isFalse();
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
