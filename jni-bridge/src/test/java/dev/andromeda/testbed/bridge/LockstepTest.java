package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.contract.ChecksumCase;
import dev.andromeda.testbed.hw.contract.ChecksumFaultContract;
import dev.andromeda.testbed.hw.contract.Rfc1071;
import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.lockstep.DivergenceException;
import dev.andromeda.testbed.hw.lockstep.LockstepModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java cycle model and the Verilated RTL side by side on the same inputs,
 * every output compared on every cycle.
 */
class LockstepTest {

    private static CsumOffloadDriver.Job[] jobs(Random r, MemorySegment memory, ChecksumCase[] cases) {
        CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[cases.length];
        for (int i = 0; i < cases.length; i++) {
            ChecksumCase c = cases[i];
            long at = (long) i * 9216;
            MemorySegment.copy(c.data(), 0, memory, ValueLayout.JAVA_BYTE, at, c.data().length);
            jobs[i] = new CsumOffloadDriver.Job(at, c.data().length, c.start(), Math.max(0, c.insert()),
                    c.insert() >= 0, c.seed());
        }
        return jobs;
    }

    @ParameterizedTest(name = "emu vs {0}, seed {1}")
    @CsvSource({"rtl-ffm, 101", "rtl-jni, 102", "rtl-ffm, 103"})
    void javaModelAndRtlAgreeOnEveryOutputOnEveryCycle(String rtl, long seed, @TempDir Path waves) {
        HardwareBackend emu = Backends.require("emu");
        HardwareBackend dut = Backends.require(rtl);
        Random r = new Random(seed);
        ChecksumCase[] cases = new ChecksumCase[150];
        for (int i = 0; i < cases.length; i++) {
            cases[i] = ChecksumCase.random("lockstep", r, r.nextInt(5) == 0 ? r.nextInt(9217) : r.nextInt(300));
        }
        try (Arena arena = Arena.ofConfined();
             LockstepModel model = new LockstepModel(() -> emu.open(CsumOffloadModule.BLOCK),
                     () -> dut.open(CsumOffloadModule.BLOCK), waves, 200)) {
            MemorySegment memory = arena.allocate((long) cases.length * 9216, 64);
            CsumOffloadDriver.Result res = new CsumOffloadDriver(model)
                    .run(memory, jobs(r, memory, cases), seed, 0.25, 0.35);
            assertThat(res.cycles()).isGreaterThan(10_000);
            for (int i = 0; i < cases.length; i++) {
                assertThat(res.csum()[i]).as("seed %d job %d", seed, i)
                        .isEqualTo(Rfc1071.checksum(cases[i].data(), cases[i].start(), cases[i].seed()));
            }
        }
    }

    @ParameterizedTest(name = "emu vs {0}, seed {1}")
    @CsvSource({"rtl-ffm, 171", "rtl-jni, 172"})
    void javaModelAndRtlAgreeOnEveryCycleThroughRefusedPackets(String rtl, long seed, @TempDir Path waves) {
        HardwareBackend emu = Backends.require("emu");
        HardwareBackend dut = Backends.require(rtl);
        try (Arena arena = Arena.ofConfined();
             LockstepModel model = new LockstepModel(() -> emu.open(CsumOffloadModule.BLOCK),
                     () -> dut.open(CsumOffloadModule.BLOCK), waves, 200)) {
            ChecksumFaultContract.Layout l = ChecksumFaultContract.layout(arena, new Random(seed), 48);
            CsumOffloadDriver.Result res = new CsumOffloadDriver(model).run(l.memory(), l.jobs(), seed, 0.25, 0.35);
            ChecksumFaultContract.check(l, res, "lockstep " + rtl + " seed " + seed);
        }
    }

    @Test
    void reportsTheFirstDivergenceWithBothWaveformsAroundIt(@TempDir Path waves) throws Exception {
        HardwareBackend dut = Backends.require("rtl-ffm");
        // A mutant: the Java model with a 2-entry command FIFO where the RTL has 4, so
        // s_cmd_ready differs as soon as commands run ahead of their packets.
        java.util.function.Supplier<HardwareModel> mutant = () -> {
            KitModel k = new KitModel(new CsumOffloadModule(64, 32768, 9216, 2, 16));
            k.reset(4);
            return k;
        };
        Random r = new Random(5);
        ChecksumCase[] cases = new ChecksumCase[8];
        for (int i = 0; i < cases.length; i++) {
            cases[i] = ChecksumCase.random("mutant", r, 200);
        }
        try (Arena arena = Arena.ofConfined();
             LockstepModel model = new LockstepModel(mutant, () -> dut.open(CsumOffloadModule.BLOCK), waves, 20)) {
            MemorySegment memory = arena.allocate((long) cases.length * 9216, 64);
            CsumOffloadDriver.Job[] jobs = jobs(r, memory, cases);
            assertThatThrownBy(() -> new CsumOffloadDriver(model).run(memory, jobs, 5, 0, 0))
                    .isInstanceOfSatisfying(DivergenceException.class, e -> {
                        assertThat(e.port()).isEqualTo("s_cmd_ready");
                        assertThat(e.getMessage()).contains("emu and rtl-ffm diverge at lockstep cycle");
                        assertThat(e.waveforms()).hasSize(2);
                        for (Path w : e.waveforms()) {
                            assertThat(w).exists();
                            String vcd = readUnchecked(w);
                            assertThat(vcd).contains("$enddefinitions").contains("s_cmd_ready");
                            assertThat(vcd.lines().filter(l -> l.startsWith("#")).count()).isGreaterThan(20);
                        }
                    });
        }
    }

    private static String readUnchecked(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
