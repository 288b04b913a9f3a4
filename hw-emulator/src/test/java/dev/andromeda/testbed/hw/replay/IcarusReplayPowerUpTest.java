package dev.andromeda.testbed.hw.replay;

import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;
import dev.andromeda.testbed.hw.contract.Backends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay's one allowance ({@link IcarusReplay}): a data register reset leaves alone is X in
 * Icarus and 0 in Verilator until first loaded -- counted apart, not a mismatch -- and nothing
 * more: a value other than 0 against that X, or a wrong value once loaded, is a mismatch, and a
 * register reset sets is held exactly from the first cycle. Hand-written traces of a small block.
 */
class IcarusReplayPowerUpTest {
    private static final String BLOCK = """
            module pu(input logic clk, input logic rst, input logic load, input logic [7:0] d,
                      output logic v, output logic [7:0] q);
                always_ff @(posedge clk) begin
                    if (rst) v <= 1'b0; else v <= load;
                    if (load) q <= d;  // no reset: X until first loaded
                end
            endmodule
            """;
    private static final List<PortInfo> IN = List.of(new PortInfo(0, "rst", 1, PortDirection.IN),
            new PortInfo(1, "load", 1, PortDirection.IN), new PortInfo(2, "d", 8, PortDirection.IN));
    private static final List<PortInfo> OUT = List.of(new PortInfo(3, "v", 1, PortDirection.OUT),
            new PortInfo(4, "q", 8, PortDirection.OUT));

    @BeforeEach
    void requireIcarus() {
        Backends.requireTool("Icarus Verilog", IcarusReplay.unavailabilityCause());
    }

    private static IcarusReplay.Outcome replay(Path dir, String trace) throws Exception {
        Path v = Files.writeString(dir.resolve("pu.sv"), BLOCK);
        Path t = Files.writeString(dir.resolve("pu.trace"), trace);
        return IcarusReplay.run("pu", List.of(v), IN, OUT, t, dir.resolve("icarus"));
    }

    /** Columns: rst load d | v q, as Verilator (every variable starting at 0) would write them. */
    @Test
    void anUnresetRegisterIsCountedApartUntilFirstLoaded(@TempDir Path dir) throws Exception {
        IcarusReplay.Outcome o = replay(dir, """
                1 0 00 0 00
                0 0 00 0 00
                0 0 00 0 00
                0 1 5a 1 5a
                0 0 00 0 5a
                """);
        assertThat(o.mismatches()).as(o.log()).isZero();
        assertThat(o.powerUpX()).isEqualTo(Map.of("q", 2L));
    }

    @Test
    void aValueOtherThanZeroAgainstPowerUpXIsAMismatch(@TempDir Path dir) throws Exception {
        IcarusReplay.Outcome o = replay(dir, """
                1 0 00 0 00
                0 0 00 0 07
                0 1 5a 1 5a
                """);
        assertThat(o.mismatches()).as(o.log()).isEqualTo(1);
        assertThat(o.firstMismatches().getFirst()).contains("cycle 1 q");
    }

    @Test
    void onceLoadedAndForAResetRegisterTheComparisonIsExact(@TempDir Path dir) throws Exception {
        IcarusReplay.Outcome o = replay(dir, """
                1 0 00 0 00
                0 1 5a 1 5a
                0 0 00 0 00
                0 0 00 1 5a
                """);
        assertThat(o.mismatches()).as(o.log()).isEqualTo(2);
        assertThat(o.firstMismatches()).anyMatch(l -> l.contains("cycle 2 q")).anyMatch(l -> l.contains("cycle 3 v"));
        assertThat(o.powerUpX()).isEmpty();
    }
}
