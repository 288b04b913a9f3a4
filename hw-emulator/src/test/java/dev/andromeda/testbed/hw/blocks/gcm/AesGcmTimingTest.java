package dev.andromeda.testbed.hw.blocks.gcm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The datasheet's timing table, in clock cycles (deterministic, not wall time): a lone job's
 * latency (command offered to result taken) and the cycles per job of 64 identical jobs back to
 * back, no idle cycles, no back-pressure, every result checked against the JDK. Run on the Java
 * model; the lockstep test shows the RTL equal to it cycle for cycle.
 */
class AesGcmTimingTest {

    @ParameterizedTest(name = "AES-{0} {1}, AAD {2}, text {3}")
    @CsvSource({
        "128, seal, 0, 0", "128, seal, 16, 0", "128, seal, 16, 64", "128, seal, 16, 256", "128, seal, 16, 1500",
        "128, seal, 16, 9216", "128, seal, 16, 16384", "128, open, 16, 1500", "128, open, 16, 9216",
        "128, open, 16, 16384",
        "256, seal, 0, 0", "256, seal, 16, 64", "256, seal, 16, 256", "256, seal, 16, 1500", "256, seal, 16, 9216",
        "256, seal, 16, 16384", "256, open, 16, 1500", "256, open, 16, 16384"})
    void latencyAndBackToBackRate(int keyBits, String op, int aad, int text) {
        long seed = 31L * keyBits + text + aad;
        Random r = new Random(seed);
        boolean open = op.equals("open");
        AesGcmModelTest.Case lone = open ? AesGcmModelTest.open(r, keyBits / 8, aad, text, 0)
                : AesGcmModelTest.seal(r, keyBits / 8, aad, text);
        AesGcmDriver.Result one = AesGcmModelTest.runAndCheck(List.of(lone), seed, 0, 0);
        List<AesGcmModelTest.Case> many = new ArrayList<>();
        // 64 jobs, so the last open's plaintext, which drains after its result, weighs 1/64.
        int jobs = 64;
        for (int i = 0; i < jobs; i++) {
            many.add(lone);
        }
        AesGcmDriver.Result run = AesGcmModelTest.runAndCheck(many, seed, 0, 0);
        double perJob = (double) run.cycles() / jobs;
        System.out.printf("aes_gcm timing | AES-%d | %s | %d | %d | latency %d | back-to-back %.1f cycles/job"
                + " | %s B/cycle%n", keyBits, op, aad, text, one.latencyCycles()[0], perJob,
                text == 0 ? "-" : String.format("%.2f", text / perJob));
        // The streams carry 8 bytes a cycle and every other part keeps up with them: a long
        // message runs at the stream's rate less the per-command overhead, whatever the key size.
        if (text == 16384) {
            assertThat(text / perJob).as("B/cycle, AES-%d %s of 16 KiB, seed %d", keyBits, op, seed)
                    .isGreaterThanOrEqualTo(7.5);
        }
    }
}
