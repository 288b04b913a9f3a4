package dev.andromeda.testbed.fastpath.psp;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.Random;

import static dev.andromeda.testbed.fastpath.psp.PspTestPackets.geneveFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What PspTransport refuses, and what it costs, independent of the crypto stage. */
class PspTransportTest {
    private static final int SLOT = 16 * 1024;
    private static final PspSa SA = PspSa.derive(PspKeyDerivationTest.MASTER_KEY_0,
            PspKeyDerivationTest.MASTER_KEY_1, 0x9A345678, PspVersion.AES_GCM_128, 4);

    private Arena arena;
    private MemorySegment host;
    private final PspTransport psp = new PspTransport();
    private final Random random = new Random(0xD0C5L);

    @BeforeEach
    void allocate() {
        arena = Arena.ofConfined();
        host = arena.allocate(8L * SLOT, 64);
    }

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void hasTheOverheadOfUdpHeaderAndIcv() {
        assertThat(PspTransport.OVERHEAD).isEqualTo(8 + 16 + 16);
        assertThat(PspTransport.overhead(SA)).isEqualTo(40);
        PspSa withCookie = new PspSa(1, PspVersion.AES_GCM_128, new byte[16], 0, true);
        assertThat(PspTransport.overhead(withCookie)).isEqualTo(48);
        assertThat(PspTransport.headroom(withCookie)).isEqualTo(32);
    }

    @Test
    void refusesAFrameWithoutHeadroomOrTailroomAndLeavesItAlone() {
        byte[] f = geneveFrame(random, 100, 5);
        place(10, f);
        assertThat(psp.encapsulate(host, 10, f.length, SA)).isEqualTo(PspStatus.NO_ROOM);
        long end = host.byteSize() - f.length - 8;
        place(end, f);
        assertThat(psp.encapsulate(host, end, f.length, SA)).isEqualTo(PspStatus.NO_ROOM);
        assertThat(read(end, f.length)).isEqualTo(f);
        assertThat(psp.counters().drops(PspStatus.NO_ROOM)).isEqualTo(2);
    }

    @Test
    void refusesFramesThatAreNotIpv4OrContradictTheirLengths() {
        byte[] f = geneveFrame(random, 100, 5);
        byte[] arp = f.clone();
        PspTestPackets.put16(arp, 12, 0x0806);
        byte[] longer = f.clone();
        PspTestPackets.put16(longer, 16, f.length); // IPv4 total length beyond the frame
        byte[] ipv6 = f.clone();
        ipv6[14] = 0x65;

        for (byte[] bad : new byte[][] {arp, longer, ipv6}) {
            place(64, bad);
            assertThat(psp.encapsulate(host, 64, bad.length, SA)).isEqualTo(PspStatus.MALFORMED);
        }
        place(64, f);
        assertThat(psp.encapsulate(host, 64, 20, SA)).isEqualTo(PspStatus.MALFORMED);
        assertThat(psp.counters().drops(PspStatus.MALFORMED)).isEqualTo(4);
    }

    @Test
    void refusesACryptOffsetBeyondThePayload() {
        PspSa wide = new PspSa(1, PspVersion.AES_GCM_256, new byte[32], 63, false);
        byte[] f = PspTestPackets.plainIpv4Frame(random, 1, 100);
        place(64, f);

        assertThat(psp.encapsulate(host, 64, f.length, wide)).isEqualTo(PspStatus.CRYPT_OFFSET_TOO_LARGE);
    }

    @Test
    void refusesToOpenWhatIsNotPsp() {
        byte[] f = geneveFrame(random, 100, 5);
        place(64, f);
        try (CryptoBatch batch = new CryptoBatch(4, host)) {
            assertThat(psp.addOpen(batch, host, 64, f.length, SA)).isEqualTo(PspStatus.NOT_PSP);
            assertThat(batch.size()).isZero();
        }
    }

    @Test
    void refusesHeadersWithoutTheAlwaysOneBitOrWithUnknownExtensions() {
        try (CryptoBatch batch = new CryptoBatch(4, host)) {
            long off = sealedFrame(batch);
            int len = psp.frameLength();
            long h = off + 14 + 20 + 8;
            batch.clear();
            host.set(ValueLayout.JAVA_BYTE, h + 3, (byte) (host.get(ValueLayout.JAVA_BYTE, h + 3) & 0xFE));
            assertThat(psp.addOpen(batch, host, off, len, SA)).isEqualTo(PspStatus.BAD_HEADER);
            host.set(ValueLayout.JAVA_BYTE, h + 3, (byte) (host.get(ValueLayout.JAVA_BYTE, h + 3) | 0x01));
            host.set(ValueLayout.JAVA_BYTE, h + 1, (byte) 3);
            assertThat(psp.addOpen(batch, host, off, len, SA)).isEqualTo(PspStatus.BAD_HEADER);
            assertThat(psp.counters().drops(PspStatus.BAD_HEADER)).isEqualTo(2);
        }
    }

    @Test
    void countsAFullBatchInsteadOfThrowing() {
        try (CryptoBatch batch = new CryptoBatch(1, host)) {
            long off = sealedFrame(batch);
            int len = psp.frameLength();

            assertThat(psp.addOpen(batch, host, off, len, SA)).isEqualTo(PspStatus.BATCH_FULL);
            assertThat(psp.counters().drops(PspStatus.BATCH_FULL)).isEqualTo(1);
        }
    }

    @Test
    void refusesToDecapsulateBeforeTheStageRanOrWithAnotherFramesDescriptor() {
        try (CryptoBatch seal = new CryptoBatch(2, host); CryptoBatch open = new CryptoBatch(2, host);
             SoftwareGcm gcm = new SoftwareGcm()) {
            long a = sealedFrame(seal, 1, gcm);
            int aLen = psp.frameLength();
            long b = sealedFrame(seal, 2, gcm);
            int bLen = psp.frameLength();
            int da = psp.addOpen(open, host, a, aLen, SA);
            psp.addOpen(open, host, b, bLen, SA);

            assertThat(psp.decapsulate(open, da, host, a, aLen)).isEqualTo(PspStatus.NOT_PROCESSED);
            gcm.process(open);
            assertThat(psp.decapsulate(open, da, host, b, bLen)).isEqualTo(PspStatus.NOT_PROCESSED);
            assertThat(psp.decapsulate(open, da, host, a, aLen)).isEqualTo(PspStatus.OK);
        }
    }

    @Test
    void insistsTheFrameLivesInTheBatchsHostMemory() {
        try (CryptoBatch batch = new CryptoBatch(1, host)) {
            MemorySegment other = arena.allocate(SLOT);
            assertThatThrownBy(() -> psp.addSeal(batch, other, 64, 100, SA, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host memory");
        }
    }

    @Test
    void roundTripsVlanTaggedFramesAndIpv4Options() {
        byte[] plain = geneveFrame(random, 200, 5);
        // Insert an 802.1Q tag, and a 4-byte IPv4 option (NOP x4): IHL 6.
        byte[] f = new byte[plain.length + 4 + 4];
        System.arraycopy(plain, 0, f, 0, 12);
        PspTestPackets.put16(f, 12, 0x8100);
        PspTestPackets.put16(f, 14, 42);
        PspTestPackets.put16(f, 16, 0x0800);
        System.arraycopy(plain, 14, f, 18, 20);
        f[18] = 0x46;
        f[18 + 20] = f[18 + 21] = f[18 + 22] = f[18 + 23] = 1;
        System.arraycopy(plain, 34, f, 18 + 24, plain.length - 34);
        PspTestPackets.put16(f, 18 + 2, plain.length - 14 + 4);
        PspTestPackets.put16(f, 18 + 10, 0);
        PspTestPackets.put16(f, 18 + 10, PspTestPackets.ipv4Checksum(f, 18, 24));
        place(SLOT + 64, f);
        try (CryptoBatch batch = new CryptoBatch(1, host); SoftwareGcm gcm = new SoftwareGcm()) {
            assertThat(psp.encapsulate(host, SLOT + 64, f.length, SA)).isEqualTo(PspStatus.OK);
            long off = psp.frameOffset();
            int len = psp.frameLength();
            psp.addSeal(batch, host, off, len, SA, 5);
            gcm.process(batch);
            assertThat(psp.completeSeal(batch, 0)).isEqualTo(PspStatus.OK);
            batch.clear();
            int d = psp.addOpen(batch, host, off, len, SA);
            gcm.process(batch);

            assertThat(psp.decapsulate(batch, d, host, off, len)).isEqualTo(PspStatus.OK);
            assertThat(read(psp.frameOffset(), psp.frameLength())).isEqualTo(f);
        }
    }

    @Test
    void allocatesNothingPerPacketOutsideTheCryptoStage() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] f = geneveFrame(random, 1500, 5);
        try (CryptoBatch seal = new CryptoBatch(1, host); CryptoBatch open = new CryptoBatch(1, host);
             SoftwareGcm gcm = new SoftwareGcm()) {
            // One sealed packet, opened once so the open descriptor is DONE; then the transport's
            // own per-packet work is repeated without the stage.
            place(64, f);
            psp.encapsulate(host, 64, f.length, SA);
            long off = psp.frameOffset();
            int len = psp.frameLength();
            psp.addSeal(seal, host, off, len, SA, 1);
            gcm.process(seal);
            psp.addOpen(open, host, off, len, SA);
            gcm.process(open);
            byte[] sealedFrame = read(off, len);
            // What an engine would write back, taken from the real seal, so the loop can complete
            // descriptors without running the stage.
            byte[] ciphertext = read(seal.textOffset(0), seal.textLength(0));
            byte[] tag = read(seal.tagOffset(0), 16);
            int rounds = 200_000;
            assertThat(loop(seal, open, sealedFrame, ciphertext, tag, off, len, rounds)).as("statuses").isZero();
            long before = threads.getCurrentThreadAllocatedBytes();
            long sum = loop(seal, open, sealedFrame, ciphertext, tag, off, len, rounds);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(sum).as("statuses").isZero();
            assertThat(psp.counters().totalDrops()).isZero();
            assertThat(allocated / (double) rounds).as("bytes allocated per packet (%d in all)", allocated)
                    .isLessThan(1.0);
        }
    }

    /**
     * addSeal + completeSeal + decapsulate + encapsulate per round, the sealed frame restored each
     * time; returns the sum of the statuses (0 when every call succeeded).
     */
    private long loop(CryptoBatch seal, CryptoBatch open, byte[] sealedFrame, byte[] ciphertext, byte[] tag,
                      long off, int len, int rounds) {
        MemorySegment saved = arena.allocate(len);
        MemorySegment.copy(MemorySegment.ofArray(sealedFrame), 0, saved, 0, len);
        long sum = 0;
        for (int r = 0; r < rounds; r++) {
            MemorySegment.copy(saved, 0, host, off, len);
            seal.clear();
            sum += psp.addSeal(seal, host, off, len, SA, 1);
            seal.completeSeal(0, ciphertext, tag, 0);
            sum += psp.completeSeal(seal, 0);
            sum += psp.decapsulate(open, 0, host, off, len);
            sum += psp.encapsulate(host, psp.frameOffset(), psp.frameLength(), SA);
        }
        return sum;
    }

    private long sealedFrame(CryptoBatch batch) {
        try (SoftwareGcm gcm = new SoftwareGcm()) {
            return sealedFrame(batch, 1, gcm);
        }
    }

    private long sealedFrame(CryptoBatch batch, int slot, SoftwareGcm gcm) {
        byte[] f = geneveFrame(random, 100, 5);
        long at = (long) slot * SLOT + 64;
        place(at, f);
        assertThat(psp.encapsulate(host, at, f.length, SA)).isEqualTo(PspStatus.OK);
        long off = psp.frameOffset();
        int d = psp.addSeal(batch, host, off, psp.frameLength(), SA, slot);
        gcm.process(batch);
        assertThat(psp.completeSeal(batch, d)).isEqualTo(PspStatus.OK);
        return off;
    }

    private void place(long at, byte[] f) {
        MemorySegment.copy(MemorySegment.ofArray(f), 0, host, at, f.length);
    }

    private byte[] read(long at, int length) {
        return host.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
