package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.JdkGcm;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.contract.GcmFaultContract;
import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.lockstep.DivergenceException;
import dev.andromeda.testbed.hw.lockstep.LockstepModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java cycle model of {@code aes_gcm} and its Verilated RTL side by side on
 * the same inputs, every output compared on every cycle, over random seal and
 * open jobs (good and tampered tags) with random idle cycles and back-pressure;
 * the results are also checked against the JDK's AES/GCM.
 */
class AesGcmLockstepTest {

    private static HardwareModel emu() {
        KitModel m = new KitModel(new AesGcmModule());
        m.reset(4);
        return m;
    }

    @ParameterizedTest(name = "emu vs {0}, seed {1}")
    @CsvSource({"rtl-ffm, 201", "rtl-jni, 202", "rtl-ffm, 203"})
    void javaModelAndRtlAgreeOnEveryOutputOnEveryCycle(String rtl, long seed, @TempDir Path waves) throws Exception {
        HardwareBackend dut = Backends.require(rtl);
        Random r = new Random(seed);
        int[] lens = {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 1500};
        int n = 120;
        AesGcmDriver.Job[] jobs = new AesGcmDriver.Job[n];
        byte[][] expectText = new byte[n][];
        boolean[] expectOk = new boolean[n];
        for (int i = 0; i < n; i++) {
            byte[] key = JdkGcm.bytes(r, r.nextBoolean() ? 16 : 32);
            byte[] iv = JdkGcm.bytes(r, 12);
            byte[] aad = JdkGcm.bytes(r, r.nextInt(3) == 0 ? 0 : lens[r.nextInt(lens.length)]);
            byte[] pt = JdkGcm.bytes(r, r.nextInt(12) == 0 ? 1 + r.nextInt(16384) : lens[r.nextInt(lens.length)]);
            byte[] sealed = JdkGcm.seal(key, iv, aad, pt);
            byte[] ct = Arrays.copyOf(sealed, pt.length);
            byte[] tag = Arrays.copyOfRange(sealed, pt.length, sealed.length);
            switch (r.nextInt(3)) {
                case 0 -> {
                    jobs[i] = new AesGcmDriver.Job(false, key, iv, aad, pt, null);
                    expectText[i] = ct;
                    expectOk[i] = true;
                }
                case 1 -> {
                    jobs[i] = new AesGcmDriver.Job(true, key, iv, aad, ct, tag);
                    expectText[i] = pt;
                    expectOk[i] = true;
                }
                default -> {
                    byte[] bad = tag.clone();
                    bad[r.nextInt(16)] ^= (byte) (1 << r.nextInt(8));
                    jobs[i] = new AesGcmDriver.Job(true, key, iv, aad, ct, bad);
                    expectText[i] = null;
                    expectOk[i] = false;
                }
            }
        }
        try (LockstepModel model = new LockstepModel(AesGcmLockstepTest::emu,
                () -> dut.open(AesGcmModule.BLOCK), waves, 200)) {
            AesGcmDriver.Result res = new AesGcmDriver(model).run(jobs, seed, 0.25, 0.35);
            assertThat(res.cycles()).isGreaterThan(10_000);
            for (int i = 0; i < n; i++) {
                assertThat(res.ok()[i]).as("seed %d job %d ok", seed, i).isEqualTo(expectOk[i]);
                assertThat(res.text()[i]).as("seed %d job %d text", seed, i).isEqualTo(expectText[i]);
            }
        }
    }

    /**
     * The same through refusals: every kind of bad command (an over-long open, tlast early and
     * late, partial tkeeps, a last tkeep for another length, on AAD and on text) between good
     * ones, so the drain path, the statuses, err_count and a refused seal's tuser beat are
     * compared on every cycle too.
     */
    @ParameterizedTest(name = "emu vs {0}, seed {1}")
    @CsvSource({"rtl-ffm, 204", "rtl-jni, 205"})
    void javaModelAndRtlAgreeThroughRefusals(String rtl, long seed, @TempDir Path waves) throws Exception {
        HardwareBackend dut = Backends.require(rtl);
        Random r = new Random(seed);
        java.util.List<AesGcmDriver.Job> jobs = new java.util.ArrayList<>();
        java.util.List<GcmFaultContract.Case> goods = new java.util.ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int kind = 0; kind <= 8; kind++) {
                jobs.add(GcmFaultContract.bad(r, kind));
                GcmFaultContract.Case c = GcmFaultContract.good(r);
                jobs.add(c.job());
                goods.add(c);
            }
        }
        try (LockstepModel model = new LockstepModel(AesGcmLockstepTest::emu,
                () -> dut.open(AesGcmModule.BLOCK), waves, 200)) {
            AesGcmDriver.Result res = new AesGcmDriver(model).run(jobs.toArray(AesGcmDriver.Job[]::new), seed,
                    0.25, 0.35);
            int refused = 0;
            int g = 0;
            for (int i = 0; i < jobs.size(); i++) {
                int want = GcmFaultContract.expectedStatus(jobs.get(i));
                assertThat(res.status()[i]).as("seed %d job %d status", seed, i).isEqualTo(want);
                if (want != AesGcmModule.STATUS_OK) {
                    refused++;
                    continue;
                }
                GcmFaultContract.Case c = goods.get(g++);
                assertThat(res.text()[i]).as("seed %d job %d text", seed, i).isEqualTo(c.text());
            }
            assertThat(res.errCount()).isEqualTo(refused);
        }
    }

    @Test
    void aMutantModelDivergesFromTheRtl(@TempDir Path waves) {
        HardwareBackend dut = Backends.require("rtl-ffm");
        // A GHASH digit of 32 bits where the RTL takes 64: four cycles a block, not two, so the
        // AAD and text are taken later.
        Supplier<HardwareModel> mutant = () -> {
            KitModel k = new KitModel(new AesGcmModule(32, 16384));
            k.reset(4);
            return k;
        };
        Random r = new Random(11);
        AesGcmDriver.Job[] jobs = {
            new AesGcmDriver.Job(false, JdkGcm.bytes(r, 16), JdkGcm.bytes(r, 12), JdkGcm.bytes(r, 20), JdkGcm.bytes(r, 200), null),
        };
        try (LockstepModel model = new LockstepModel(mutant, () -> dut.open(AesGcmModule.BLOCK), waves, 20)) {
            assertThatThrownBy(() -> new AesGcmDriver(model).run(jobs, 11, 0, 0))
                    .isInstanceOf(DivergenceException.class)
                    .hasMessageContaining("emu and rtl-ffm diverge at lockstep cycle");
        }
    }
}
