package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code sw} crypto stage's engine choice and the OpenSSL engine's hot path. Its results are
 * checked by the crypto contract (hw-emulator, both engines, the JDK as oracle); here: what it
 * picks, what it says when libcrypto is missing, and that a packet allocates nothing.
 */
class SoftwareGcmTest {

    @Test
    void aLibraryThatIsNotThereGivesItsCauseAndNoLibrary() {
        Libcrypto.Probe probe = Libcrypto.probe(List.of("libno-such-crypto.so.9", "libno-such-crypto.so"));
        assertThat(probe.library()).isNull();
        assertThat(probe.unavailabilityCause()).contains("libno-such-crypto.so.9").contains("libno-such-crypto.so:");
    }

    @Test
    void fallsBackToTheJdkAndSaysWhyOnce() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        AtomicBoolean told = new AtomicBoolean();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(SoftwareGcm.strongest("libcrypto.so.3: not found", told)).isEqualTo(SoftwareGcm.ENGINE_JDK);
            assertThat(SoftwareGcm.strongest("libcrypto.so.3: not found", told)).isEqualTo(SoftwareGcm.ENGINE_JDK);
        } finally {
            System.setErr(err);
        }
        String said = captured.toString(StandardCharsets.UTF_8);
        assertThat(said).contains("libcrypto.so.3: not found").contains("JDK");
        assertThat(said.lines().count()).as("the cause is printed once: " + said).isEqualTo(1);
        assertThat(SoftwareGcm.strongest(null, new AtomicBoolean())).isEqualTo(SoftwareGcm.ENGINE_OPENSSL);
    }

    @Test
    void picksOpensslWhenLibcryptoLoaded() {
        assumeLibcrypto();
        try (SoftwareGcm stage = new SoftwareGcm()) {
            assertThat(stage.engine()).isEqualTo(SoftwareGcm.ENGINE_OPENSSL);
        }
        assertThat(SoftwareGcm.opensslLibrary()).startsWith("libcrypto.so").contains("OpenSSL");
    }

    @Test
    void refusesAnEngineThatDoesNotExist() {
        assertThatThrownBy(() -> new SoftwareGcm("boringssl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl, jdk");
    }

    /**
     * 2,000 batches of 32 seals and opens of 1,500 bytes under 40 keys (more than one context, and
     * re-keyed slots) after 3,000 of warm-up: the stage's {@code process} allocates no byte.
     */
    @Test
    void opensslSealsAndOpensWithoutAllocating() {
        assumeLibcrypto();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long seed = 1500;
        Random r = new Random(seed);
        int n = 32;
        int size = 1500;
        long stride = size + 64;
        byte[][] keys = new byte[40][];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = new byte[k % 2 == 0 ? 16 : 32];
            r.nextBytes(keys[k]);
        }
        byte[] iv = new byte[12];
        try (Arena arena = Arena.ofConfined();
             SoftwareGcm stage = new SoftwareGcm(SoftwareGcm.ENGINE_OPENSSL)) {
            MemorySegment memory = arena.allocate(n * stride, 64);
            try (CryptoBatch batch = new CryptoBatch(n, memory)) {
                long allocated = 0;
                for (int round = 0; round < 5000; round++) {
                    batch.clear();
                    for (int k = 0; k < n; k++) {
                        r.nextBytes(iv);
                        long at = k * stride;
                        // Odd rounds open what the round before sealed (same key and IV), so the open verifies.
                        batch.add(round % 2 == 0 ? CryptoBatch.OP_SEAL : CryptoBatch.OP_OPEN, keys[(round / 2 + k) % 40],
                                ivOf(round / 2, k), at, 16, at + 16, size, at + 16 + size);
                    }
                    long before = threads.getCurrentThreadAllocatedBytes();
                    stage.process(batch);
                    long after = threads.getCurrentThreadAllocatedBytes();
                    if (round >= 3000) {
                        allocated += after - before;
                    }
                    for (int k = 0; k < n; k++) {
                        assertThat(batch.status(k)).as("seed %d round %d op %d", seed, round, k)
                                .isEqualTo(CryptoBatch.STATUS_DONE);
                    }
                }
                assertThat(allocated).as("bytes allocated by 2,000 batches of 32 (seed %d)", seed).isZero();
            }
        }
    }

    private static byte[] ivOf(int pair, int k) {
        byte[] iv = new byte[12];
        iv[0] = (byte) k;
        iv[8] = (byte) (pair >>> 24);
        iv[9] = (byte) (pair >>> 16);
        iv[10] = (byte) (pair >>> 8);
        iv[11] = (byte) pair;
        return iv;
    }

    private static void assumeLibcrypto() {
        // A machine without libssl3 falls back to the JDK (tested above); say so rather than pass quietly,
        // and fail under CI, which installs libssl3 (.ci/run).
        if ("true".equalsIgnoreCase(System.getenv("CI")) && SoftwareGcm.opensslUnavailabilityCause() != null) {
            throw new AssertionError("libcrypto must load under CI: " + SoftwareGcm.opensslUnavailabilityCause());
        }
        assumeTrue(SoftwareGcm.opensslUnavailabilityCause() == null,
                () -> "libcrypto unavailable: " + SoftwareGcm.opensslUnavailabilityCause());
    }
}
