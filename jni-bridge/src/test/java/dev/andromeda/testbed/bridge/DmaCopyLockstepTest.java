package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.lockstep.LockstepModel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java cycle model of {@code dma_copy} and its Verilated RTL side by side
 * on the same inputs, every output compared on every cycle, over random
 * unaligned copies with back-pressure, idle cycles and memory latency; the
 * copies themselves checked against {@link MemorySegment#copy}.
 */
class DmaCopyLockstepTest {

    private static HardwareModel emu() {
        // The emu backend opens models with 4 cycles of reset, as the RTL backends do.
        KitModel model = new KitModel(new DmaCopyModule());
        model.reset(4);
        return model;
    }

    @ParameterizedTest(name = "emu vs {0}, seed {1}, latency {2}, stall {3}")
    @CsvSource({
            "rtl-ffm, 201, 1, 0.0",
            "rtl-ffm, 202, 10, 0.3",
            "rtl-ffm, 203, 100, 0.2",
            "rtl-jni, 204, 0, 0.35",
            "rtl-jni, 205, 100, 0.0",
    })
    void javaModelAndRtlAgreeOnEveryOutputOnEveryCycle(String rtl, long seed, int latency, double stall,
                                                       @TempDir Path waves) {
        HardwareBackend dut = Backends.require(rtl);
        Random r = new Random(seed);
        int n = 120;
        int slot = 9216 + 256;
        long size = 2L * n * slot;
        try (Arena arena = Arena.ofConfined();
             LockstepModel model = new LockstepModel(DmaCopyLockstepTest::emu,
                     () -> dut.open(DmaCopyModule.BLOCK), waves, 200)) {
            MemorySegment memory = arena.allocate(size, 64);
            byte[] noise = new byte[(int) size];
            r.nextBytes(noise);
            MemorySegment.copy(noise, 0, memory, ValueLayout.JAVA_BYTE, 0, noise.length);
            MemorySegment reference = arena.allocate(size, 64);
            reference.copyFrom(memory);
            DmaCopyDriver.Job[] jobs = new DmaCopyDriver.Job[n];
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                int len = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt(17);
                    case 1 -> r.nextInt(9217);
                    default -> r.nextInt(600);
                };
                long src = (long) i * slot + 64 + r.nextInt(64);
                long dst = (long) (n + i) * slot + 64 + r.nextInt(64);
                jobs[i] = new DmaCopyDriver.Job(src, dst, len, r.nextInt(1 << 16));
                MemorySegment.copy(reference, src, reference, dst, len);
                bytes += len;
            }
            DmaCopyDriver.Result res = new DmaCopyDriver(model)
                    .run(memory, jobs, seed, stall, stall, latency, 1 + r.nextInt(16));
            assertThat(res.cycles()).as("seed %d", seed).isGreaterThan(5_000);
            assertThat(memory.mismatch(reference)).as("seed %d: first byte differing from MemorySegment.copy", seed)
                    .isEqualTo(-1);
            assertThat(res.bytesWritten()).as("seed %d: bytes written", seed).isEqualTo(bytes);
            assertThat(res.status()).as("seed %d: completion status", seed).containsOnly(0);
        }
    }
}
