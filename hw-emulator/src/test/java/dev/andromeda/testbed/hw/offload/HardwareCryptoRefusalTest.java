package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.hw.contract.JdkGcm;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.psp.PspStatus;
import dev.andromeda.testbed.fastpath.psp.PspTransport;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A status the {@code aes_gcm} block answers becomes a counted drop, never a hang, a crash or a
 * false completion: the stage rejects the descriptor (its counters say so) and PSP counts it as
 * {@link PspStatus#CRYPTO_REJECTED} -- the one vocabulary the dataplane already drops crypto
 * refusals by ({@code Drop.PSP_OPEN_FAILED} / {@code PSP_SEAL_FAILED}). The block here is built
 * with MAX_TEXT_BYTES = 1,024, below the SPI's 16,384, so an open of 2,000 bytes passes the
 * descriptor validation, reaches the block and is refused there (TOO_LONG). Oracle: the JDK's
 * AES/GCM for the descriptors around it.
 */
class HardwareCryptoRefusalTest {

    @Test
    void anOpenTheBlockRefusesIsARejectedDescriptorAndPspCountsIt() throws Exception {
        Random r = new Random(1626);
        int[] length = {100, 2000, 500, 2000};     // seal, open (refused by the block), open, seal
        boolean[] open = {false, true, true, false};
        byte[][] key = new byte[4][];
        byte[][] iv = new byte[4][];
        byte[][] text = new byte[4][];
        byte[][] sealed = new byte[4][];
        byte[] aad = new byte[16];
        r.nextBytes(aad);
        KitModel model = new KitModel(new AesGcmModule(AesGcmModule.DEFAULT_GHASH_DIGIT_BITS, 1024));
        model.reset(EmuBackend.RESET_CYCLES);
        try (Arena arena = Arena.ofConfined();
             HardwareCryptoOffload stage = new HardwareCryptoOffload(model, OffloadOptions.defaults())) {
            MemorySegment mem = arena.allocate(16 + 4 * (2000 + 16 + 64), 64);
            MemorySegment.copy(aad, 0, mem, ValueLayout.JAVA_BYTE, 0, aad.length);
            long[] at = new long[4];
            try (CryptoBatch batch = new CryptoBatch(4, mem)) {
                long next = 64;
                for (int i = 0; i < 4; i++) {
                    key[i] = new byte[i % 2 == 0 ? 16 : 32];
                    iv[i] = new byte[12];
                    byte[] pt = new byte[length[i]];
                    r.nextBytes(key[i]);
                    r.nextBytes(iv[i]);
                    r.nextBytes(pt);
                    sealed[i] = JdkGcm.seal(key[i], iv[i], aad, pt);
                    text[i] = open[i] ? Arrays.copyOf(sealed[i], length[i]) : pt;
                    at[i] = next;
                    MemorySegment.copy(text[i], 0, mem, ValueLayout.JAVA_BYTE, at[i], length[i]);
                    if (open[i]) {
                        MemorySegment.copy(sealed[i], length[i], mem, ValueLayout.JAVA_BYTE, at[i] + length[i], 16);
                    }
                    batch.add(open[i] ? CryptoBatch.OP_OPEN : CryptoBatch.OP_SEAL, key[i], iv[i], 0, aad.length,
                            at[i], length[i], at[i] + length[i]);
                    next = at[i] + length[i] + 16 + 48;
                }
                stage.process(batch);

                assertThat(batch.status(0)).isEqualTo(CryptoBatch.STATUS_DONE);
                assertThat(batch.status(1)).as("refused by the block: TOO_LONG").isEqualTo(CryptoBatch.STATUS_REJECTED);
                assertThat(batch.status(2)).isEqualTo(CryptoBatch.STATUS_DONE);
                assertThat(batch.status(3)).as("a seal streams: not limited by the open buffer")
                        .isEqualTo(CryptoBatch.STATUS_DONE);
                assertThat(stage.counters().rejected()).isEqualTo(1);
                assertThat(mem.asSlice(at[0], length[0] + 16).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(sealed[0]);
                assertThat(mem.asSlice(at[1], length[1]).toArray(ValueLayout.JAVA_BYTE))
                        .as("a refused open leaves its ciphertext untouched").isEqualTo(text[1]);
                assertThat(mem.asSlice(at[2], length[2]).toArray(ValueLayout.JAVA_BYTE))
                        .isEqualTo(JdkGcm.open(key[2], iv[2], aad, sealed[2]));
                assertThat(mem.asSlice(at[3], length[3] + 16).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(sealed[3]);

                PspTransport psp = new PspTransport();
                assertThat(psp.completeSeal(batch, 0)).isEqualTo(PspStatus.OK);
                assertThat(PspStatus.name(psp.decapsulate(batch, 1, mem, 0, 0))).isEqualTo("CRYPTO_REJECTED");
                assertThat(psp.counters().drops(PspStatus.CRYPTO_REJECTED)).isEqualTo(1);
            }
        }
    }
}
