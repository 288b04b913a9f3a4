package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.driver.BusAgent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aes_gcm} is no tag oracle, the same cases on every hardware backend ({@code emu},
 * {@code rtl-jni}, {@code rtl-ffm}): an open's result carries pass or fail only. Were the tag the
 * block computed over a forged packet to leave it, one forged packet would reveal the tag that
 * makes it pass.
 *
 * <p>Oracle, written apart from the block: the tag each open would have needed, from the JDK's
 * AES/GCM sealing the plaintext the (forged) ciphertext decrypts to under the (forged) AAD --
 * CTR's keystream does not depend on the text. An observer reads every output port of the block
 * on every cycle of the run; no 64-bit word of any output may equal any 8 consecutive bytes of a
 * needed tag (a chance match has odds of 2^-64 a word), and every open's result has its tag
 * fields zero, passed or failed.
 */
public abstract class GcmTagOracleContract {

    /** The backend under test: emu, rtl-jni or rtl-ffm. */
    protected abstract String backend();

    /** Every 8-byte window of the tag, as the little-endian word a 64-bit port would carry it in. */
    private static List<Long> windows(byte[] tag) {
        List<Long> w = new ArrayList<>();
        for (int at = 0; at + 8 <= tag.length; at++) {
            long v = 0;
            for (int b = 7; b >= 0; b--) {
                v = (v << 8) | (tag[at + b] & 0xFF);
            }
            w.add(v);
            w.add(Long.reverseBytes(v)); // and the other byte order
        }
        return w;
    }

    /** Reads every output on every cycle and remembers where any word of a secret showed. */
    private static final class Watcher implements BusAgent {
        private final HardwareModel model;
        private final java.util.Map<Long, String> secrets = new java.util.HashMap<>();
        private final List<String> seen = new ArrayList<>();
        private final List<PortInfo> outputs;
        private long[] wide = new long[4];

        Watcher(HardwareModel model) {
            this.model = model;
            this.outputs = model.ports().stream().filter(p -> p.direction() == PortDirection.OUT).toList();
        }

        void secret(long word, String what) {
            secrets.put(word, what);
        }

        @Override
        public void beforeEdge(long cycle) {
            for (PortInfo p : outputs) {
                if (p.isWide()) {
                    int words = (p.width() + 63) / 64;
                    if (wide.length < words) {
                        wide = new long[words];
                    }
                    model.getWide(p.handle(), wide);
                    for (int k = 0; k < words; k++) {
                        check(p.name() + "[" + k + "]", wide[k], cycle);
                    }
                } else if (p.width() >= 32) {
                    check(p.name(), model.get(p.handle()), cycle);
                }
            }
        }

        private void check(String port, long value, long cycle) {
            String what = secrets.get(value);
            if (what != null && seen.size() < 10) {
                seen.add(what + " on " + port + " at cycle " + cycle);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1601, 1602})
    void noOutputEverCarriesTheTagAFailedOpenNeeded(long seed) throws Exception {
        Random r = new Random(seed);
        int n = 24;
        AesGcmDriver.Job[] jobs = new AesGcmDriver.Job[n];
        boolean[] forged = new boolean[n];
        try (HardwareModel model = Backends.open(backend(), AesGcmModule.BLOCK)) {
            Watcher watcher = new Watcher(model);
            for (int i = 0; i < n; i++) {
                byte[] key = JdkGcm.bytes(r, r.nextBoolean() ? 16 : 32);
                byte[] iv = JdkGcm.bytes(r, 12);
                byte[] aad = JdkGcm.bytes(r, r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(40));
                byte[] pt = JdkGcm.bytes(r, 1 + r.nextInt(r.nextInt(6) == 0 ? 2000 : 100));
                byte[] sealed = JdkGcm.seal(key, iv, aad, pt);
                byte[] ct = Arrays.copyOf(sealed, pt.length);
                byte[] tag = Arrays.copyOfRange(sealed, pt.length, sealed.length);
                if (i % 4 == 3) {
                    jobs[i] = new AesGcmDriver.Job(true, key, iv, aad, ct, tag); // a good one between
                    continue;
                }
                forged[i] = true;
                switch (i % 3) {
                    case 0 -> r.nextBytes(tag); // a guess: shares no 8 bytes with the real tag but by chance
                    case 1 -> {
                        if (aad.length == 0) {
                            aad = JdkGcm.bytes(r, 1);
                        } else {
                            aad[r.nextInt(aad.length)] ^= (byte) (1 << r.nextInt(8));
                        }
                    }
                    default -> ct[r.nextInt(ct.length)] ^= (byte) (1 << r.nextInt(8));
                }
                byte[] forgedPt = pt.clone();
                for (int b = 0; b < pt.length; b++) {
                    forgedPt[b] ^= (byte) (sealed[b] ^ ct[b]);
                }
                byte[] resealed = JdkGcm.seal(key, iv, aad, forgedPt);
                byte[] needed = Arrays.copyOfRange(resealed, pt.length, resealed.length);
                for (long w : windows(needed)) {
                    watcher.secret(w, "job " + i + "'s needed tag");
                }
                jobs[i] = new AesGcmDriver.Job(true, key, iv, aad, ct, tag);
            }
            AesGcmDriver.Result res = new AesGcmDriver(model).run(jobs, seed, 0.2, 0.3, watcher);
            String what = backend() + " seed " + seed;
            assertThat(watcher.seen).as("%s: words of a needed tag on the block's outputs", what).isEmpty();
            for (int i = 0; i < n; i++) {
                assertThat(res.ok()[i]).as("%s job %d passes", what, i).isEqualTo(!forged[i]);
                assertThat(res.tag()[i]).as("%s job %d: an open's result carries no tag", what, i)
                        .isEqualTo(new byte[16]);
            }
        }
    }
}
