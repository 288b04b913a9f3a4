package dev.andromeda.testbed.testkit.blocks;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.contract.JdkGcm;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.driver.AxiStreamSource;
import dev.andromeda.testbed.hw.driver.BeatQueue;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.testkit.Dut;
import dev.andromeda.testbed.testkit.Scoreboard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Random;

/**
 * The built-in AES-GCM block written as a user would test their own RTL: Dut, an AXI-stream
 * source per input stream (key, IV and tag are one-beat frames: those streams have no tlast),
 * a sink on the text output, a command source and a result sink, two scoreboards -- against
 * the JDK's AES/GCM/NoPadding, on the Java model and both bridges. Seals and opens, AES-128
 * and -256, empty and odd-length AAD and text, and opens whose tag was corrupted (no
 * plaintext, ok 0).
 */
class AesGcmOnDutTest {

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"emu, 1", "rtl-jni, 2", "rtl-ffm, 3"})
    void sealsAndOpensAsTheJdkDoes(String impl, long seed) {
        Random random = new Random(seed);
        HardwareModel model = Backends.open(impl, "aes_gcm");
        try (Dut dut = Dut.of(model, seed).wavesOnFailure(Path.of("target/waves"))) {
            BeatQueue commands = dut.beats(Channel.of(model, "s_cmd", "s_cmd_valid", "s_cmd_ready", "s_cmd_open",
                    "s_cmd_aes256", "s_cmd_aad_len", "s_cmd_text_len"), 0.2);
            AxiStreamSource key = dut.source("s_key", 0.2);
            AxiStreamSource iv = dut.source("s_iv", 0.2);
            AxiStreamSource aad = dut.source("s_aad", 0.2);
            AxiStreamSource text = dut.source("s_text", 0.2);
            AxiStreamSource tag = dut.source("s_tag", 0.2);
            Scoreboard<AxiFrame> out = dut.scoreboard("m_text", Scoreboard::sameFrame);
            dut.sink("m_text", 0.3, out::actual);
            Scoreboard<String> results = dut.scoreboard("m_res", Objects::equals);
            Channel res = Channel.of(model, "m_res", "m_res_valid", "m_res_ready", "m_res_ok", "m_res_tag_lo",
                    "m_res_tag_hi", "m_res_status");
            boolean[] opens = new boolean[200];
            int[] next = {0};
            dut.take(res, 0.3, (f, cycle) -> {
                boolean open = opens[next[0]++];
                results.actual(open ? "open ok " + f[0] + " status " + f[3]
                        : "seal tag " + hex(f[1], f[2]) + " status " + f[3]);
            });
            dut.reset(4);
            for (int i = 0; i < 40; i++) {
                boolean open = random.nextBoolean();
                opens[i] = open;
                byte[] k = JdkGcm.bytes(random, random.nextBoolean() ? 32 : 16);
                byte[] n = JdkGcm.bytes(random, 12);
                byte[] a = JdkGcm.bytes(random, random.nextInt(4) == 0 ? 0 : random.nextInt(40));
                byte[] plain = JdkGcm.bytes(random, random.nextInt(4) == 0 ? 0 : random.nextInt(300));
                // The oracle: the JDK seals; its output is ciphertext then the 16-byte tag.
                byte[] sealed = JdkGcm.seal(k, n, a, plain);
                byte[] cipher = Arrays.copyOf(sealed, plain.length);
                byte[] t = Arrays.copyOfRange(sealed, plain.length, sealed.length);
                boolean corrupt = open && random.nextInt(3) == 0;
                byte[] body = open ? cipher : plain;
                commands.add(open ? 1 : 0, k.length == 32 ? 1 : 0, a.length, body.length);
                for (int b = 0; b < k.length; b += 8) {
                    key.send(AxiFrame.of(Arrays.copyOfRange(k, b, b + 8)));
                }
                iv.send(AxiFrame.of(Arrays.copyOfRange(n, 0, 8)));
                iv.send(AxiFrame.of(Arrays.copyOf(Arrays.copyOfRange(n, 8, 12), 8)));
                if (a.length > 0) {
                    aad.send(AxiFrame.of(a));
                }
                if (body.length > 0) {
                    text.send(AxiFrame.of(body));
                }
                if (open) {
                    byte[] sentTag = t.clone();
                    if (corrupt) {
                        sentTag[random.nextInt(16)] ^= (byte) (1 << random.nextInt(8));
                    }
                    tag.send(AxiFrame.of(Arrays.copyOfRange(sentTag, 0, 8)));
                    tag.send(AxiFrame.of(Arrays.copyOfRange(sentTag, 8, 16)));
                    if (!corrupt && plain.length > 0) {
                        out.expect(AxiFrame.of(plain));
                    }
                    results.expect("open ok " + (corrupt ? 0 : 1) + " status 0");
                } else {
                    if (cipher.length > 0) {
                        out.expect(AxiFrame.of(cipher));
                    }
                    results.expect("seal tag " + HexFormat.of().formatHex(t) + " status 0");
                }
            }
            dut.runUntil(() -> results.drained() && out.drained(), 400_000);
            dut.cycles(50);
            out.assertDrained();
            results.assertDrained();
        }
    }

    /** The tag's 16 bytes, byte 0 in bits 7:0 of the low word. */
    private static String hex(long lo, long hi) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (lo >>> 8 * i);
            b[8 + i] = (byte) (hi >>> 8 * i);
        }
        return HexFormat.of().formatHex(b);
    }
}
