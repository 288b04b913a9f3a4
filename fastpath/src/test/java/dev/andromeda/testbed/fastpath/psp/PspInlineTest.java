package dev.andromeda.testbed.fastpath.psp;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

import static dev.andromeda.testbed.fastpath.psp.PspTestPackets.geneveFrame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's half of a seal or open done inline by a NIC: {@link PspTransport#prepareInlineSeal}
 * leaves a frame that, sealed by the JDK's AES-GCM as the NIC would (AAD from the PSP header,
 * text to the ICV, tag appended), is byte for byte the frame the software seal makes; and
 * {@link PspTransport#decapsulateOpened} on a frame the JDK opened gives the original back.
 */
class PspInlineTest {
    private static final int SLOT = 16 * 1024;
    private static final byte[] MASTER_0 = PspKeyDerivationTest.MASTER_KEY_0;
    private static final byte[] MASTER_1 = PspKeyDerivationTest.MASTER_KEY_1;

    private Arena arena;
    private MemorySegment host;
    private final PspTransport psp = new PspTransport();

    @BeforeEach
    void allocate() {
        arena = Arena.ofConfined();
        host = arena.allocate(4L * SLOT, 64);
    }

    @AfterEach
    void free() {
        arena.close();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anInlineSealIsTheSoftwareSealAndItsOpenGivesTheFrameBack(long seed) throws Exception {
        Random random = new Random(seed);
        for (int round = 0; round < 40; round++) {
            PspVersion version = random.nextBoolean() ? PspVersion.AES_GCM_128 : PspVersion.AES_GCM_256;
            int inner = 42 + random.nextInt(1400);
            int cryptOffset = random.nextInt(4);
            PspSa sa = PspSa.derive(MASTER_0, MASTER_1, random.nextInt() & 0x7FFF_FFFF, version, cryptOffset);
            long iv = random.nextLong();
            byte[] frame = geneveFrame(random, inner, 1 + random.nextInt(1000));
            String what = "seed " + seed + " round " + round + " " + version + " inner " + inner
                    + " cryptOffset " + cryptOffset;

            byte[] software = softwareSeal(frame, sa, iv);

            place(SLOT + 64, frame);
            assertThat(psp.encapsulate(host, SLOT + 64, frame.length, sa)).as(what).isEqualTo(PspStatus.OK);
            long off = psp.frameOffset();
            int len = psp.frameLength();
            assertThat(psp.prepareInlineSeal(host, off, len, sa, iv)).as(what).isEqualTo(PspStatus.OK);
            assertThat(psp.pspHeaderOffset()).as(what).isEqualTo(14 + 20 + 8);
            byte[] prepared = read(off, len);
            assertThat(Arrays.copyOfRange(prepared, len - 16, len)).as(what + ": the ICV is the NIC's to write")
                    .containsOnly(0);
            byte[] nic = PspTestPackets.jdkSeal(prepared, sa.key());
            assertThat(nic).as(what).isEqualTo(software);

            place(2 * SLOT + 64, jdkOpen(nic, sa.key()));
            assertThat(psp.decapsulateOpened(host, 2 * SLOT + 64, nic.length)).as(what).isEqualTo(PspStatus.OK);
            assertThat(read(psp.frameOffset(), psp.frameLength())).as(what).isEqualTo(frame);
        }
    }

    @Test
    void refusesAnSaThatOnlyAuthenticates() {
        PspSa gmac = PspSa.derive(MASTER_0, MASTER_1, 7, PspVersion.AES_GMAC_128, 0);
        byte[] frame = geneveFrame(new Random(9), 100, 5);
        place(SLOT + 64, frame);
        assertThat(psp.encapsulate(host, SLOT + 64, frame.length, gmac)).isEqualTo(PspStatus.OK);
        assertThat(psp.prepareInlineSeal(host, psp.frameOffset(), psp.frameLength(), gmac, 1))
                .isEqualTo(PspStatus.WRONG_VERSION);
        assertThat(psp.counters().drops(PspStatus.WRONG_VERSION)).isEqualTo(1);
        assertThat(psp.counters().sealedPackets()).isZero();
    }

    @Test
    void refusesToDecapsulateWhatIsNotPsp() {
        byte[] frame = geneveFrame(new Random(10), 100, 5);
        place(SLOT + 64, frame);
        assertThat(psp.decapsulateOpened(host, SLOT + 64, frame.length)).isEqualTo(PspStatus.NOT_PSP);
        assertThat(read(SLOT + 64, frame.length)).isEqualTo(frame);
    }

    private byte[] softwareSeal(byte[] frame, PspSa sa, long iv) {
        try (CryptoBatch batch = new CryptoBatch(1, host); SoftwareGcm gcm = new SoftwareGcm()) {
            place(64, frame);
            assertThat(psp.encapsulate(host, 64, frame.length, sa)).isEqualTo(PspStatus.OK);
            long off = psp.frameOffset();
            int len = psp.frameLength();
            int d = psp.addSeal(batch, host, off, len, sa, iv);
            gcm.process(batch);
            assertThat(psp.completeSeal(batch, d)).isEqualTo(PspStatus.OK);
            return read(off, len);
        }
    }

    /** The NIC's open, done by the JDK apart from PspTransport: plaintext in place, tag checked. */
    private static byte[] jdkOpen(byte[] sealed, byte[] key) throws Exception {
        byte[] f = sealed.clone();
        int psp = 14 + (f[14] & 0x0F) * 4 + 8;
        int aad = 16 + (f[psp + 2] & 0x3F) * 4;
        int text = f.length - psp - aad - 16;
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(f, psp + 4, psp + 16)));
        gcm.updateAAD(f, psp, aad);
        byte[] plain = gcm.doFinal(f, psp + aad, text + 16);
        System.arraycopy(plain, 0, f, psp + aad, plain.length);
        return f;
    }

    private void place(long at, byte[] f) {
        MemorySegment.copy(MemorySegment.ofArray(f), 0, host, at, f.length);
    }

    private byte[] read(long at, int length) {
        return host.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
