package dev.andromeda.testbed.tb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.hw.contract.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tb offload copy} and {@code tb offload gcm} as a user runs them. */
class OffloadCopyAndGcmCommandTest {
    private static final HexFormat HEX = HexFormat.of();
    private final ObjectMapper json = new ObjectMapper();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int tb(String... args) {
        picocli.CommandLine cl = Tb.commandLine();
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    private List<JsonNode> results(Path out) throws Exception {
        List<JsonNode> r = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            r.add(json.readTree(line));
        }
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sw", "emu", "rtl-jni", "rtl-ffm"})
    void copiesMatchTheirSourceOnVectorsNeverSeenBefore(String impl, @TempDir Path dir) throws Exception {
        requireImpl(CopyOffloadProvider.class, impl);
        long seed = System.nanoTime();
        Random r = new Random(seed);
        List<byte[]> data = new ArrayList<>();
        StringBuilder jobs = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            byte[] d = new byte[r.nextInt(10) == 0 ? r.nextInt(65537) : r.nextInt(700)];
            r.nextBytes(d);
            data.add(d);
            jobs.append(String.format("{\"id\":\"c%d\",\"data\":\"%s\",\"srcOffset\":%d,\"dstOffset\":%d}%n", i,
                    HEX.formatHex(d), r.nextInt(64), r.nextInt(64)));
        }
        Path in = Files.writeString(dir.resolve("copy.jsonl"), jobs);
        Path out = dir.resolve("copy-out.jsonl");
        int code = tb("offload", "copy", "--impl", impl, "--in", in.toString(), "--out", out.toString(),
                "--idle", "0.1", "--backpressure", "0.2", "--mem-latency", "50");
        assertThat(code).as("stderr: %s", err).isZero();
        List<JsonNode> res = results(out);
        assertThat(res).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(res.get(i).get("id").asText()).isEqualTo("c" + i);
            assertThat(res.get(i).get("data").asText()).as("%s copy %d (seed %d)", impl, i, seed)
                    .isEqualTo(HEX.formatHex(data.get(i)));
            assertThat(res.get(i).has("cycles")).isEqualTo(!impl.equals("sw"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sw", "emu", "rtl-jni", "rtl-ffm"})
    void gcmAgreesWithTheJdkOnVectorsNeverSeenBefore(String impl, @TempDir Path dir) throws Exception {
        requireImpl(CryptoOffloadProvider.class, impl);
        long seed = System.nanoTime();
        Random r = new Random(seed);
        StringBuilder jobs = new StringBuilder();
        List<byte[][]> cases = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] key = new byte[r.nextBoolean() ? 16 : 32];
            byte[] iv = new byte[12];
            byte[] aad = new byte[r.nextInt(4) == 0 ? 0 : r.nextInt(48)];
            byte[] pt = new byte[r.nextInt(8) == 0 ? r.nextInt(16385) : r.nextInt(300)];
            r.nextBytes(key);
            r.nextBytes(iv);
            r.nextBytes(aad);
            r.nextBytes(pt);
            byte[] sealed = jdk(key, iv, aad, pt);
            byte[] ct = Arrays.copyOf(sealed, pt.length);
            byte[] tag = Arrays.copyOfRange(sealed, pt.length, sealed.length);
            int kind = i % 3; // seal, good open, tampered open
            if (kind == 2) {
                tag[r.nextInt(16)] ^= 1;
            }
            cases.add(new byte[][] {pt, ct, Arrays.copyOfRange(sealed, pt.length, sealed.length)});
            jobs.append(kind == 0
                    ? String.format("{\"id\":%d,\"op\":\"seal\",\"key\":\"%s\",\"iv\":\"%s\",\"aad\":\"%s\",\"pt\":\"%s\"}%n",
                    i, HEX.formatHex(key), HEX.formatHex(iv), HEX.formatHex(aad), HEX.formatHex(pt))
                    : String.format("{\"id\":%d,\"op\":\"open\",\"key\":\"%s\",\"iv\":\"%s\",\"aad\":\"%s\",\"ct\":\"%s\",\"tag\":\"%s\"}%n",
                    i, HEX.formatHex(key), HEX.formatHex(iv), HEX.formatHex(aad), HEX.formatHex(ct), HEX.formatHex(tag)));
        }
        Path in = Files.writeString(dir.resolve("gcm.jsonl"), jobs);
        Path out = dir.resolve("gcm-out.jsonl");
        int code = tb("offload", "gcm", "--impl", impl, "--in", in.toString(), "--out", out.toString(),
                "--idle", "0.1", "--backpressure", "0.2");
        assertThat(code).as("stderr: %s", err).isZero();
        List<JsonNode> res = results(out);
        assertThat(res).hasSize(40);
        for (int i = 0; i < 40; i++) {
            JsonNode n = res.get(i);
            String what = impl + " job " + i + " (seed " + seed + ")";
            assertThat(n.get("id").asInt()).isEqualTo(i);
            switch (i % 3) {
                case 0 -> {
                    assertThat(n.get("ct").asText()).as(what).isEqualTo(HEX.formatHex(cases.get(i)[1]));
                    assertThat(n.get("tag").asText()).as(what).isEqualTo(HEX.formatHex(cases.get(i)[2]));
                }
                case 1 -> {
                    assertThat(n.get("ok").asBoolean()).as(what).isTrue();
                    assertThat(n.get("pt").asText()).as(what).isEqualTo(HEX.formatHex(cases.get(i)[0]));
                }
                default -> {
                    assertThat(n.get("ok").asBoolean()).as(what).isFalse();
                    assertThat(n.has("pt")).as(what + ": no plaintext on a failed open").isFalse();
                }
            }
        }
    }

    @Test
    void rejectsMalformedGcmAndCopyJobsAndRunsTheRest(@TempDir Path dir) throws Exception {
        String k = "00".repeat(16);
        String iv = "00".repeat(12);
        Path in = Files.writeString(dir.resolve("gcm.jsonl"), String.join("\n",
                "{\"id\":\"ok\",\"op\":\"seal\",\"key\":\"" + k + "\",\"iv\":\"" + iv + "\",\"pt\":\"" + "00".repeat(16) + "\"}",
                "{\"id\":\"key\",\"op\":\"seal\",\"key\":\"" + "00".repeat(24) + "\",\"iv\":\"" + iv + "\",\"pt\":\"\"}",
                "{\"id\":\"iv\",\"op\":\"seal\",\"key\":\"" + k + "\",\"iv\":\"00\",\"pt\":\"\"}",
                "{\"id\":\"hex\",\"op\":\"seal\",\"key\":\"" + k + "\",\"iv\":\"" + iv + "\",\"pt\":\"0g\"}",
                "{\"id\":\"op\",\"op\":\"mix\",\"key\":\"" + k + "\",\"iv\":\"" + iv + "\",\"pt\":\"\"}",
                "{\"id\":\"tag\",\"op\":\"open\",\"key\":\"" + k + "\",\"iv\":\"" + iv + "\",\"ct\":\"\",\"tag\":\"00\"}",
                "{\"id\":\"field\",\"op\":\"seal\",\"key\":\"" + k + "\",\"iv\":\"" + iv + "\",\"pt\":\"\",\"ct\":\"\"}") + "\n");
        Path out = dir.resolve("r.jsonl");
        assertThat(tb("offload", "gcm", "--impl", "sw", "--in", in.toString(), "--out", out.toString())).isEqualTo(3);
        List<JsonNode> res = results(out);
        assertThat(res.get(0).get("ct").asText()).isEqualTo("0388dace60b6a392f328c2b971b2fe78");
        assertThat(res.get(0).get("tag").asText()).isEqualTo("ab6e47d42cec13bdf53a67b21257bddf");
        String[] why = {"'key' is 24 bytes; it must be 16 or 32", "'iv' is 1 byte; it must be 12", "non-hex",
                "'op' must be", "'tag' is 1 byte;", "unknown field 'ct'"};
        for (int i = 0; i < why.length; i++) {
            assertThat(res.get(i + 1).get("error").asText()).contains(why[i]);
        }

        Path cin = Files.writeString(dir.resolve("copy.jsonl"),
                "{\"id\":1,\"data\":\"abcd\",\"srcOffset\":63,\"dstOffset\":0}\n{\"id\":2,\"data\":\"ab\",\"dstOffset\":64}\n"
                        + "{\"id\":3,\"data\":\"" + "00".repeat(65537) + "\"}\n");
        Path cout = dir.resolve("c.jsonl");
        assertThat(tb("offload", "copy", "--impl", "sw", "--in", cin.toString(), "--out", cout.toString())).isEqualTo(3);
        List<JsonNode> cres = results(cout);
        assertThat(cres.get(0).get("data").asText()).isEqualTo("abcd");
        assertThat(cres.get(1).get("error").asText()).contains("'dstOffset' is 64, outside 0..63");
        assertThat(cres.get(2).get("error").asText()).contains("at most 65536");
    }

    private static byte[] jdk(byte[] key, byte[] iv, byte[] aad, byte[] pt) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        return c.doFinal(pt);
    }

    private static <P extends dev.andromeda.testbed.fastpath.offload.OffloadProvider<?>> void requireImpl(
            Class<P> type, String impl) {
        Backends.require(Offloads.provider(type, impl));
    }

    /**
     * Issue 15 point 10: a copy job's cycles count from its descriptor being offered, so in a batch
     * they include the time it queued behind earlier jobs. Each result splits them: queuedCycles
     * (until the job before it completed) + serviceCycles (its own). Alone (--batch 1) nothing is
     * queued; in a batch the later jobs queue, and a job's service is no longer than the same job
     * alone (the engine reads ahead while the previous job writes).
     */
    @Test
    void copyResultsSplitCyclesIntoQueuedAndService(@TempDir Path dir) throws Exception {
        StringBuilder jobs = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            jobs.append(String.format("{\"id\":\"c%d\",\"data\":\"%s\",\"srcOffset\":0,\"dstOffset\":0}%n", i,
                    "ab".repeat(2048)));
        }
        Path in = Files.writeString(dir.resolve("copy.jsonl"), jobs);
        List<List<JsonNode>> runs = new java.util.ArrayList<>();
        for (String batch : new String[] {"64", "1"}) {
            err.reset();
            Path out = dir.resolve("out-" + batch + ".jsonl");
            assertThat(tb("offload", "copy", "--impl", "emu", "--in", in.toString(), "--out", out.toString(),
                    "--batch", batch)).as("stderr: %s", err).isZero();
            assertThat(Unwrap.of(err.toString(StandardCharsets.UTF_8))).contains("queuedCycles", "serviceCycles", "--batch 1");
            List<JsonNode> res = results(out);
            for (JsonNode r : res) {
                assertThat(r.get("queuedCycles").asLong() + r.get("serviceCycles").asLong()).as("%s", r)
                        .isEqualTo(r.get("cycles").asLong());
                assertThat(r.get("serviceCycles").asLong()).as("%s", r).isPositive();
            }
            runs.add(res);
        }
        List<JsonNode> batched = runs.get(0);
        List<JsonNode> alone = runs.get(1);
        assertThat(batched.get(0).get("queuedCycles").asLong()).as("the first job waits for none").isZero();
        assertThat(alone).allSatisfy(r -> assertThat(r.get("queuedCycles").asLong()).as("%s", r).isZero());
        JsonNode last = batched.get(3);
        assertThat(last.get("cycles").asLong()).as("the fourth of four 2 KiB copies, in one batch vs alone")
                .isGreaterThan(alone.get(3).get("cycles").asLong() * 2);
        assertThat(last.get("queuedCycles").asLong()).as("%s", last).isPositive();
        assertThat(last.get("serviceCycles").asLong()).as("%s against alone %s", last, alone.get(3))
                .isLessThanOrEqualTo(alone.get(3).get("serviceCycles").asLong());
    }

    @Test
    void copyRefusesMemoryFlagsOutOfRangeNamingTheFlag(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("j.jsonl"), "{\"id\":\"a\",\"src\":\"00\"}\n");
        String[][] cases = {{"--mem-latency", "-1", "--mem-latency must be 0..100000"},
                {"--reads-in-flight", "0", "--reads-in-flight must be 1..1024"}};
        for (String[] c : cases) {
            err.reset();
            assertThat(tb("offload", "copy", "--impl", "emu", "--in", in.toString(), c[0], c[1])).isEqualTo(1);
            assertThat(Unwrap.of(err.toString(StandardCharsets.UTF_8))).as(c[0]).contains(c[2]).doesNotContain("memoryLatency", "maxReadsInFlight");
        }
    }
}
