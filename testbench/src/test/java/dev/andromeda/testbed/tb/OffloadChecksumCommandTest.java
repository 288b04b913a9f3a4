package dev.andromeda.testbed.tb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.contract.Rfc1071;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tb offload checksum} as a user runs it: job files in, result files out, exit status. */
class OffloadChecksumCommandTest {
    private final ObjectMapper json = new ObjectMapper();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int tb(String... args) {
        picocli.CommandLine cl = Tb.commandLine();
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    private static void requireImpl(String impl) {
        Backends.requireChecksum(impl);
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
    void agreesWithAnIndependentRfc1071OnVectorsItHasNeverSeen(String impl, @TempDir Path dir) throws Exception {
        requireImpl(impl);
        long seed = System.nanoTime();
        Random r = new Random(seed);
        List<byte[]> data = new ArrayList<>();
        List<int[]> params = new ArrayList<>();
        StringBuilder jobs = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            byte[] d = new byte[r.nextInt(8) == 0 ? r.nextInt(9217) : r.nextInt(1600)];
            r.nextBytes(d);
            int start = r.nextInt(d.length + 1);
            int insert = d.length >= 2 && r.nextBoolean() ? r.nextInt(d.length - 1) : -1;
            int s = r.nextInt(65536);
            data.add(d);
            params.add(new int[] {start, insert, s});
            jobs.append(String.format("{\"id\":\"j%d\",\"data\":\"%s\",\"start\":%d,\"insert\":%d,\"seed\":%d}%n",
                    i, HexFormat.of().formatHex(d), start, insert, s));
        }
        Path in = Files.writeString(dir.resolve("jobs.jsonl"), jobs);
        Path out = dir.resolve("out/results.jsonl");
        int code = tb("offload", "checksum", "--impl", impl, "--in", in.toString(), "--out", out.toString(),
                "--seed", "7", "--idle", "0.2", "--backpressure", "0.2");
        assertThat(code).as("exit status; stderr: %s", err).isZero();
        List<JsonNode> res = results(out);
        assertThat(res).hasSize(200);
        for (int i = 0; i < 200; i++) {
            int[] p = params.get(i);
            String what = impl + " job " + i + " (vector seed " + seed + ")";
            JsonNode n = res.get(i);
            assertThat(n.get("id").asText()).as(what).isEqualTo("j" + i);
            assertThat(n.get("csum").asInt()).as(what).isEqualTo(Rfc1071.checksum(data.get(i), p[0], p[2]));
            assertThat(n.get("data").asText()).as(what)
                    .isEqualTo(HexFormat.of().formatHex(Rfc1071.inserted(data.get(i), p[0], p[1], p[2])));
            assertThat(n.has("cycles")).as(what + ": cycles only for hardware").isEqualTo(!impl.equals("sw"));
            if (n.has("cycles")) {
                assertThat(n.get("cycles").asLong()).as(what).isPositive();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sw", "emu", "rtl-jni", "rtl-ffm"})
    void aUdpJobWhoseChecksumIsZeroGetsFfffAndSaysDone(String impl, @TempDir Path dir) throws Exception {
        requireImpl(impl);
        // 0x1234 + 0xedcb = 0xffff: the checksum computes to 0 (independent arithmetic, by hand).
        String lines = String.join("\n",
                "{\"id\":\"udp\",\"data\":\"1234edcb0000\",\"insert\":4,\"udp\":true}",
                "{\"id\":\"tcp\",\"data\":\"1234edcb0000\",\"insert\":4}",
                "{\"id\":\"bad\",\"data\":\"00\",\"udp\":1}");
        Path in = Files.writeString(dir.resolve("jobs.jsonl"), lines);
        Path out = dir.resolve("results.jsonl");
        tb("offload", "checksum", "--impl", impl, "--in", in.toString(), "--out", out.toString());
        List<JsonNode> res = results(out);
        assertThat(res).hasSize(3);
        assertThat(res.get(0).get("status").asText()).as(impl).isEqualTo("done");
        assertThat(res.get(0).get("csum").asInt()).as(impl + " udp").isEqualTo(0xFFFF);
        assertThat(res.get(0).get("data").asText()).as(impl + " udp").isEqualTo("1234edcbffff");
        assertThat(res.get(1).get("csum").asInt()).as(impl + " tcp").isEqualTo(0);
        assertThat(res.get(1).get("data").asText()).as(impl + " tcp").isEqualTo("1234edcb0000");
        assertThat(res.get(2).get("error").asText()).as(impl).contains("udp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sw", "emu", "rtl-ffm"})
    void reportsMalformedJobsOnTheirLineAndProcessesTheRest(String impl, @TempDir Path dir) throws Exception {
        requireImpl(impl);
        String lines = String.join("\n",
                "{\"id\":\"ok1\",\"data\":\"0001f203f4f5f6f7\",\"start\":0,\"insert\":-1,\"seed\":0}",
                "{\"id\":\"badhex\",\"data\":\"00zz\",\"start\":0,\"insert\":-1,\"seed\":0}",
                "{\"id\":\"oddhex\",\"data\":\"001\",\"start\":0}",
                "{\"id\":\"start\",\"data\":\"0011\",\"start\":3}",
                "{\"id\":\"insert\",\"data\":\"00112233\",\"insert\":3}",
                "not json at all",
                "",
                "[1,2,3]",
                "{\"id\":\"unknown\",\"data\":\"00\",\"strat\":1}",
                "{\"id\":\"nodata\",\"start\":0}",
                "{\"id\":\"seed\",\"data\":\"00\",\"seed\":65536}",
                "{\"id\":\"big\",\"data\":\"" + "00".repeat(9217) + "\"}",
                "{\"id\":7,\"data\":\"45000073000040004011\",\"start\":0,\"insert\":8,\"seed\":4660}");
        Path in = Files.writeString(dir.resolve("jobs.jsonl"), lines + "\n");
        Path out = dir.resolve("results.jsonl");
        int code = tb("offload", "checksum", "--impl", impl, "--in", in.toString(), "--out", out.toString());
        assertThat(code).as("exit status 3 when any job was rejected").isEqualTo(3);
        List<JsonNode> res = results(out);
        assertThat(res).as("one result per non-blank line, in order").hasSize(12);
        assertThat(res.get(0).get("csum").asInt()).isEqualTo(
                Rfc1071.checksum(HexFormat.of().parseHex("0001f203f4f5f6f7"), 0, 0));
        String[] errors = {"badhex", "oddhex", "start", "insert", null, null, "unknown", "nodata", "seed", "big"};
        String[] why = {"non-hex", "odd number", "'start' is 3", "'insert' is 3", "not JSON", "JSON object",
                "unknown field 'strat'", "'data' must be", "'seed' is 65536", "at most 9216"};
        for (int i = 0; i < errors.length; i++) {
            JsonNode n = res.get(1 + i);
            assertThat(n.has("error")).as("line %d: %s", i + 2, n).isTrue();
            assertThat(n.has("csum")).isFalse();
            assertThat(n.get("error").asText()).contains(why[i]);
            if (errors[i] != null) {
                assertThat(n.get("id").asText()).isEqualTo(errors[i]);
            }
        }
        JsonNode last = res.get(11);
        assertThat(last.get("id").isInt()).as("a numeric id is copied as a number").isTrue();
        byte[] ip = HexFormat.of().parseHex("45000073000040004011");
        assertThat(last.get("csum").asInt()).isEqualTo(Rfc1071.checksum(ip, 0, 4660));
        assertThat(last.get("data").asText()).isEqualTo(HexFormat.of().formatHex(Rfc1071.inserted(ip, 0, 8, 4660)));
    }

    @Test
    void exitsZeroWhenNoJobWasRejected(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("j.jsonl"), "{\"id\":\"a\",\"data\":\"\"}\n");
        Path out = dir.resolve("r.jsonl");
        assertThat(tb("offload", "checksum", "--impl", "sw", "--in", in.toString(), "--out", out.toString())).isZero();
        assertThat(results(out).get(0).get("csum").asInt()).as("empty data, seed 0").isEqualTo(0xFFFF);
    }

    @Test
    void refusesDuplicateKeysAndSaysWhichJobATooLongLineWas(@TempDir Path dir) throws Exception {
        String huge = "ab".repeat(10_100_000); // 20.2 M characters: over Jackson's 20 M a string may hold
        Path in = Files.writeString(dir.resolve("j.jsonl"), "{\"id\":1,\"id\":2,\"data\":\"00\"}\n"
                + "{\"id\":\"big\",\"data\":\"" + huge + "\"}\n" + "{\"id\":\"ok\",\"data\":\"0102\"}\n");
        Path out = dir.resolve("r.jsonl");
        int code = tb("offload", "checksum", "--impl", "sw", "--in", in.toString(), "--out", out.toString());
        assertThat(code).as(Unwrap.of(err)).isEqualTo(3);
        List<JsonNode> r = results(out);
        assertThat(r.get(0).get("error").asText()).contains("line 1", "Duplicate field 'id'");
        assertThat(r.get(1).get("id").asText()).as("the id of a line too long to parse").isEqualTo("big");
        assertThat(r.get(1).get("error").asText()).contains("line 2", "20,000,000 characters")
                .doesNotContain("StreamReadConstraints", "com.fasterxml");
        assertThat(r.get(2).has("error")).isFalse();
        assertThat(Unwrap.of(err)).contains("3 jobs, 2 rejected (2 before the engine, 0 by it)");
    }

    @Test
    void aBinaryFileIsNamedAsNotText(@TempDir Path dir) throws Exception {
        byte[] junk = new byte[3000];
        new java.util.Random(5).nextBytes(junk);
        Path in = Files.write(dir.resolve("bin.jsonl"), junk);
        int code = tb("offload", "checksum", "--impl", "sw", "--in", in.toString(), "--out",
                dir.resolve("r.jsonl").toString());
        assertThat(code).isEqualTo(1);
        assertThat(Unwrap.of(err).strip()).startsWith("tb: --in " + in + ": not UTF-8 text (line ")
                .doesNotContain("Input length");
    }

    @Test
    void exitsOneOnAMissingInputFile(@TempDir Path dir) {
        int code = tb("offload", "checksum", "--impl", "sw", "--in", dir.resolve("nope.jsonl").toString());
        assertThat(code).isEqualTo(1);
        assertThat(Unwrap.of(err)).contains("no such file");
    }

    @Test
    void exitsOneOnAnUnknownImplementationNamingTheKnownOnes(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("j.jsonl"), "{\"id\":\"a\",\"data\":\"00\"}\n");
        int code = tb("offload", "checksum", "--impl", "fpga", "--in", in.toString());
        assertThat(code).isEqualTo(1);
        assertThat(Unwrap.of(err)).contains("no checksum implementation named 'fpga'").contains("rtl-ffm");
    }

    @Test
    void refusesAWaveformForSoftwareAndBadProbabilities(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("j.jsonl"), "{\"id\":\"a\",\"data\":\"00\"}\n");
        assertThat(tb("offload", "checksum", "--impl", "sw", "--in", in.toString(), "--wave", "x.vcd")).isEqualTo(1);
        assertThat(Unwrap.of(err)).contains("--wave needs a hardware implementation");
        assertThat(tb("offload", "checksum", "--impl", "emu", "--in", in.toString(), "--idle", "1.5")).isEqualTo(1);
        assertThat(Unwrap.of(err)).contains("--idle must be at least 0 and below 1").doesNotContain("idleProbability");
        for (String[] bad : new String[][] {{"--backpressure", "1"}, {"--idle", "-0.1"}, {"--idle", "NaN"}}) {
            err.reset();
            assertThat(tb("offload", "checksum", "--impl", "emu", "--in", in.toString(), bad[0], bad[1])).isEqualTo(1);
            assertThat(Unwrap.of(err)).as(String.join(" ", bad)).contains(bad[0] + " must be at least 0 and below 1")
                    .doesNotContain("Probability");
        }
    }

    @Test
    void writesTheWaveformOfAHardwareRun(@TempDir Path dir) throws Exception {
        Path in = Files.writeString(dir.resolve("j.jsonl"), "{\"id\":\"a\",\"data\":\"0102030405\",\"insert\":0}\n");
        Path wave = dir.resolve("waves/run.vcd");
        int code = tb("offload", "checksum", "--impl", "emu", "--in", in.toString(), "--out",
                dir.resolve("r.jsonl").toString(), "--wave", wave.toString());
        assertThat(code).isZero();
        assertThat(Files.readString(wave)).contains("$enddefinitions", "m_res_csum");
    }
}
