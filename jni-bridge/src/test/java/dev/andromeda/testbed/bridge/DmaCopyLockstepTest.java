package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;
import dev.andromeda.testbed.hw.driver.AxiMemory;
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
 * unaligned copies with back-pressure, idle cycles, memory and write-response
 * latency, and (on some rows) injected read and write errors and descriptors
 * too long to run; the copies themselves checked against
 * {@link MemorySegment#copy}, the statuses against the fault ranges.
 */
class DmaCopyLockstepTest {

    private static HardwareModel emu() {
        // The emu backend opens models with 4 cycles of reset, as the RTL backends do.
        KitModel model = new KitModel(new DmaCopyModule());
        model.reset(4);
        return model;
    }

    @ParameterizedTest(name = "emu vs {0}, seed {1}, latency {2}, stall {3}, write-response latency {4}, faults {5}")
    @CsvSource({
            "rtl-ffm, 201, 1, 0.0, 1, false",
            "rtl-ffm, 202, 10, 0.3, 5, true",
            "rtl-ffm, 203, 100, 0.2, 40, false",
            "rtl-ffm, 206, 3, 0.1, 2, true",
            "rtl-jni, 204, 0, 0.35, 0, true",
            "rtl-jni, 205, 100, 0.0, 100, true",
    })
    void javaModelAndRtlAgreeOnEveryOutputOnEveryCycle(String rtl, long seed, int latency, double stall,
                                                       int wrespLatency, boolean withFaults, @TempDir Path waves) {
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
            int[] want = new int[n];
            AxiMemory.Faults faults = AxiMemory.Faults.none().writeResponseLatency(wrespLatency);
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                int len = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt(17);
                    case 1 -> r.nextInt(9217);
                    default -> r.nextInt(600);
                };
                long src = (long) i * slot + 64 + r.nextInt(64);
                long dst = (long) (n + i) * slot + 64 + r.nextInt(64);
                int fault = withFaults && len > 0 ? r.nextInt(6) : 5;
                if (fault == 0) {        // one source byte's beat answers SLVERR
                    long at = src + r.nextInt(len);
                    faults.failReads(at, at + 1);
                    want[i] = DmaCopyModule.STATUS_READ_ERROR;
                } else if (fault == 1) { // one destination byte's write answers SLVERR
                    long at = dst + r.nextInt(len);
                    faults.failWrites(at, at + 1);
                    want[i] = DmaCopyModule.STATUS_WRITE_ERROR;
                } else if (fault == 2) { // too long: nothing read or written
                    len = DmaCopyModule.DEFAULT_MAX_LEN + 1 + r.nextInt(1 << 20);
                    want[i] = DmaCopyModule.STATUS_BAD_DESCRIPTOR;
                }
                jobs[i] = new DmaCopyDriver.Job(src, dst, len, r.nextInt(1 << 16));
                if (want[i] == DmaCopyModule.STATUS_OK) {
                    MemorySegment.copy(reference, src, reference, dst, len);
                    bytes += len;
                }
            }
            DmaCopyDriver.Result res = new DmaCopyDriver(model)
                    .run(memory, jobs, seed, stall, stall, latency, 1 + r.nextInt(16), faults);
            assertThat(res.cycles()).as("seed %d", seed).isGreaterThan(5_000);
            assertThat(res.status()).as("seed %d: completion statuses", seed).containsExactly(want);
            // A failed copy's destination may hold some source bytes: take the ok copies' bytes and the
            // failed copies' destinations from memory apart.
            for (int i = 0; i < n; i++) {
                if (want[i] != DmaCopyModule.STATUS_OK && want[i] != DmaCopyModule.STATUS_BAD_DESCRIPTOR) {
                    DmaCopyDriver.Job j = jobs[i];
                    for (long k = 0; k < j.length(); k++) {
                        byte got = memory.get(ValueLayout.JAVA_BYTE, j.dst() + k);
                        byte old = reference.get(ValueLayout.JAVA_BYTE, j.dst() + k);
                        byte source = reference.get(ValueLayout.JAVA_BYTE, j.src() + k);
                        assertThat(got == old || got == source).as("seed %d: failed copy %d byte %d", seed, i, k)
                                .isTrue();
                        reference.set(ValueLayout.JAVA_BYTE, j.dst() + k, got);
                    }
                }
            }
            assertThat(memory.mismatch(reference)).as("seed %d: first byte differing from MemorySegment.copy", seed)
                    .isEqualTo(-1);
            if (!withFaults) {
                assertThat(res.bytesWritten()).as("seed %d: bytes written", seed).isEqualTo(bytes);
            }
        }
    }
}
