package dev.andromeda.testbed.tb.fuzz;

import dev.andromeda.testbed.tb.cli.FuzzCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code tb fuzz} target, fuzzed as the command fuzzes it (Jazzer in a child JVM), on the
 * corpus kept in tb fuzz's folder: a finding fails the suite with its input and reproducer named.
 *
 * <p>Thirty seconds each (issue 15 point 12), {@code -Dtb.fuzz.seconds=N} to change it. The
 * targets run side by side, as many at once as the machine has cores (each Jazzer JVM fuzzes on
 * one thread, with its own corpus folder and log, so they share nothing): on 2 cores the four
 * take about two rounds of 30 s plus start-up instead of four, and each still has a core to
 * itself for its 30 s. The corpus accumulates across runs (and every kept input is replayed first).
 */
class FuzzTargetsTest {
    static final long SECONDS = Long.getLong("tb.fuzz.seconds", 30);
    /** Jazzer JVMs at once: one a core, never more than the targets. */
    static final int AT_ONCE = Math.clamp(Runtime.getRuntime().availableProcessors(), 1,
            FuzzTarget.values().length);

    private static ExecutorService pool;
    private static final Map<FuzzTarget, Future<FuzzRun.Result>> RUNS = new EnumMap<>(FuzzTarget.class);

    /** Starts every target's run on the first call (not for the other tests of this class alone). */
    private static synchronized Future<FuzzRun.Result> runOf(FuzzTarget target) {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(AT_ONCE);
            for (FuzzTarget t : FuzzTarget.values()) {
                RUNS.put(t, pool.submit(() -> FuzzRun.run(t.id(), t.targetClass(), t.seeds(),
                        Duration.ofSeconds(SECONDS), FuzzCommand.defaultDir().resolve(t.id()), System.err::println)));
            }
            pool.shutdown();
        }
        return RUNS.get(target);
    }

    @AfterAll
    static synchronized void stopWhatIsLeft() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow(); // a run still going when a test timed out
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FuzzTarget.class)
    @Timeout(900)
    void findsNothing(FuzzTarget target) throws Exception {
        FuzzRun.Result r = runOf(target).get();
        // libFuzzer's own account of its time: the 30 s unless -Dtb.fuzz.seconds says otherwise.
        long asked = System.getProperty("tb.fuzz.seconds") == null ? 30 : SECONDS;
        assertThat(r.fuzzedSeconds()).as("seconds fuzzed: %s", FuzzCommand.report(r)).isGreaterThanOrEqualTo(asked);
        assertThat(r.found()).as("%s", FuzzCommand.report(r)).isFalse();
        // At least the kept corpus replayed: how many more in the time depends on the machine's load.
        assertThat(r.runs()).as("inputs run in %d s: %s", SECONDS, FuzzCommand.report(r))
                .isGreaterThanOrEqualTo(target.seeds().size());
        assertThat(r.corpusFiles()).as("corpus kept").isGreaterThanOrEqualTo(target.seeds().size());
    }

    /** A planted bug is found, and the report names the input that triggers it and Jazzer's reproducer. */
    @Test
    @Timeout(600)
    void aFindingIsReportedWithItsInputAndReproducer(@TempDir Path tmp) throws Exception {
        FuzzRun.Result r = FuzzRun.run("planted", PlantedBugFuzz.class.getName(), List.of(new byte[] {'p'}),
                Duration.ofSeconds(300), tmp, null);
        assertThat(r.found()).as("log: %s", Files.readString(r.log())).isTrue();
        assertThat(r.crashInput()).isRegularFile();
        assertThat(new String(Files.readAllBytes(r.crashInput()), java.nio.charset.StandardCharsets.ISO_8859_1))
                .startsWith("planted");
        assertThat(r.reproducer()).isRegularFile().hasFileName("Crash_" + r.crashInput().getFileName().toString()
                .substring("crash-".length()) + ".java");
        assertThat(r.finding()).contains("IllegalStateException: the planted bug");
        String report = FuzzCommand.report(r);
        assertThat(report).contains("FAILED", "input:      " + r.crashInput(), "reproducer: " + r.reproducer(),
                "the planted bug");
    }

    /**
     * Found by the control target: a fence whose owner is not one printable ASCII token (here a tab)
     * threw out of the host's stream handler. It must still raise the floor, unnamed.
     */
    @Test
    void aFenceWithAnUnprintableOwnerStillFences() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        dev.andromeda.testbed.control.rpc.proto.ControllerMessage.newBuilder()
                .setFence(dev.andromeda.testbed.control.rpc.proto.Fence.newBuilder().setEpoch(7).setOwner("\t"))
                .build().writeDelimitedTo(out);
        ControlMessageFuzz.fuzzerTestOneInput(out.toByteArray()); // checks the floor is 7 and answered
    }

    /** The oracle the packet targets judge deliveries by: RFC 1071 by hand, on RFC 1071's own example. */
    @Test
    void theChecksumOracleAgreesWithRfc1071sExample() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 (one's complement).
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(FuzzNet.sum16(b, 0, b.length, 0)).isEqualTo(0xddf2);
        byte[] withZero = {0, 0, 0, 0};
        assertThat(FuzzNet.sameFrame(new byte[] {0, 0, (byte) 0xff, (byte) 0xff}, withZero, 2)).isTrue();
        assertThat(FuzzNet.sameFrame(new byte[] {0, 1, 0, 0}, withZero, 2)).isFalse();
    }
}
