package dev.andromeda.testbed.fastpath.psp;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.andromeda.testbed.fastpath.psp.PspTestPackets.get16;
import static dev.andromeda.testbed.fastpath.psp.PspTestPackets.geneveFrame;
import static dev.andromeda.testbed.fastpath.psp.PspTestPackets.ipv4Checksum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PSP transport mode sealed and opened through one crypto stage: every
 * implementation ({@code sw}, {@code emu}, {@code rtl-jni}, {@code rtl-ffm})
 * must pass it and produce byte-identical packets, checked against known
 * answers and against an independent JDK computation. Subclass it and return
 * the stage; the contract calls {@link #stage()} once per test and closes it
 * after the test. Test and lifecycle methods are public or protected so that
 * subclasses in other packages and modules inherit them.
 */
public abstract class PspRoundTripContract {
    /** Every frame gets a slot this big in host memory, starting {@link #HEADROOM} bytes in. */
    protected static final int SLOT = 16 * 1024;
    protected static final int HEADROOM = 64;
    protected static final int SLOTS = 128;
    protected static final int EGRESS_BATCH = 32;
    protected static final int INGRESS_BATCH = 128;
    /** Inner frame sizes: minimum, odd, MTU-sized, Ethernet maximum and jumbo. */
    protected static final int[] INNER_SIZES = {64, 65, 127, 512, 1500, 1514, 9000};

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MASTER_KEY_0 = PspKeyDerivationTest.MASTER_KEY_0;
    private static final byte[] MASTER_KEY_1 = PspKeyDerivationTest.MASTER_KEY_1;

    private CryptoOffload stage;
    private Arena arena;
    private MemorySegment host;
    private PspTransport psp;

    /** The crypto stage under test, freshly opened. */
    protected abstract CryptoOffload stage();

    @BeforeEach
    protected final void openStage() {
        stage = stage();
        arena = Arena.ofConfined();
        host = arena.allocate((long) SLOTS * SLOT, 64);
        psp = new PspTransport();
    }

    @AfterEach
    protected final void closeStage() {
        stage.close();
        arena.close();
    }

    protected static Stream<Arguments> versionsCryptOffsetsAndCookies() {
        List<Arguments> all = new ArrayList<>();
        for (PspVersion v : PspVersion.values()) {
            for (int cryptOffset : new int[] {0, 1, 4, 6, 16}) {
                all.add(Arguments.of(v, cryptOffset, false));
                all.add(Arguments.of(v, cryptOffset, true));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, crypt offset {1}, cookie {2}")
    @MethodSource("versionsCryptOffsetsAndCookies")
    public void sealsAndOpensGeneveFramesOfEverySize(PspVersion version, int cryptOffset, boolean cookie) {
        long seed = 0x5EEDL * 31 + version.ordinal() * 131 + cryptOffset * 7 + (cookie ? 1 : 0);
        Random random = new Random(seed);
        PspSa sa = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, random.nextInt(), version, cryptOffset, cookie);
        List<byte[]> frames = new ArrayList<>();
        for (int size : INNER_SIZES) {
            frames.add(geneveFrame(random, size, random.nextInt(1 << 24)));
        }
        // ICMP, 64 bytes of payload: not UDP, and with crypt offset 16 an empty GCM text.
        frames.add(PspTestPackets.plainIpv4Frame(random, 1, 64));

        roundTrip(frames, i -> sa, seed, random.nextLong());
    }

    @Test
    public void sealsBatchesOf32AndOpensBatchesOf128WithMixedSasAndSizes() {
        long seed = 0xBA7C4L;
        Random random = new Random(seed);
        PspSa[] sas = new PspSa[8];
        for (int i = 0; i < sas.length; i++) {
            sas[i] = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, random.nextInt(),
                    PspVersion.values()[i % 4], random.nextInt(9), random.nextBoolean());
        }
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < INGRESS_BATCH; i++) {
            int inner = i % 16 == 15 ? 9000 : 64 + random.nextInt(1514 - 64 + 1);
            frames.add(geneveFrame(random, inner, random.nextInt(1 << 24)));
        }

        roundTrip(frames, i -> sas[i % sas.length], seed, random.nextLong());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.andromeda.testbed.fastpath.psp.PspTestPackets#vectors")
    public void sealsTheReferencePacketToItsKnownAnswer(PspTestPackets.Vector v) {
        PspSa sa = v.sa();
        long at = slot(0);
        host.asSlice(at, v.cleartext().length).copyFrom(MemorySegment.ofArray(v.cleartext()));
        try (CryptoBatch batch = new CryptoBatch(1, host)) {
            assertThat(psp.encapsulate(host, at, v.cleartext().length, sa, v.cookie())).isEqualTo(PspStatus.OK);
            long off = psp.frameOffset();
            int len = psp.frameLength();
            int d = psp.addSeal(batch, host, off, len, sa, v.iv());
            stage.process(batch);

            assertThat(psp.completeSeal(batch, d)).isEqualTo(PspStatus.OK);
            assertThat(HEX.formatHex(read(off, len))).as("%s sealed by %s", v, stage.name())
                    .isEqualTo(HEX.formatHex(v.psp()));

            batch.clear();
            int o = psp.addOpen(batch, host, off, len, sa);
            stage.process(batch);
            assertThat(psp.decapsulate(batch, o, host, off, len)).isEqualTo(PspStatus.OK);
            assertThat(read(psp.frameOffset(), psp.frameLength())).as("%s opened", v).isEqualTo(v.cleartext());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(PspVersion.class)
    public void dropsAndCountsEveryTamperedPacketAndDeliversTheOthers(PspVersion version) {
        long seed = 0x7A3FE2L + version.ordinal();
        Random random = new Random(seed);
        int cryptOffset = 4; // 16 clear bytes after the base header: the cookie and 8 payload bytes
        PspSa sa = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x9A345678, version, cryptOffset, true);
        String[] kinds = {"next header", "reserved crypt-offset bit (google/psp -e)", "crypt offset", "S bit",
            "IV", "virtualization cookie", "clear byte", "protected payload byte", "ICV", "untouched"};
        int n = kinds.length;
        long[] off = new long[n];
        int[] len = new int[n];
        try (CryptoBatch egress = new CryptoBatch(EGRESS_BATCH, host);
             CryptoBatch ingress = new CryptoBatch(INGRESS_BATCH, host)) {
            for (int i = 0; i < n; i++) {
                byte[] f = geneveFrame(random, 512, 7);
                long at = slot(i);
                host.asSlice(at, f.length).copyFrom(MemorySegment.ofArray(f));
                assertThat(psp.encapsulate(host, at, f.length, sa, 0x1234L)).isEqualTo(PspStatus.OK);
                off[i] = psp.frameOffset();
                len[i] = psp.frameLength();
                psp.addSeal(egress, host, off[i], len[i], sa, i + 1);
            }
            stage.process(egress);
            byte[][] tampered = new byte[n][];
            for (int i = 0; i < n; i++) {
                assertThat(psp.completeSeal(egress, i)).isEqualTo(PspStatus.OK);
                long h = off[i] + 14 + 20 + 8;
                long icv = off[i] + len[i] - 16;
                long at = switch (i) {
                    case 0 -> h;
                    case 1, 2 -> h + 2;
                    case 3 -> h + 3;
                    case 4 -> h + 8 + random.nextInt(8);
                    case 5 -> h + 16 + random.nextInt(8);
                    case 6 -> h + 24 + random.nextInt(8);
                    case 7 -> h + 32 + random.nextInt((int) (icv - h - 32));
                    case 8 -> icv + random.nextInt(16);
                    default -> -1;
                };
                int flip = i == 1 ? 0x80 : i == 3 ? 0x80 : i == 2 ? 0x01 : 1 << random.nextInt(8);
                if (at >= 0) {
                    host.set(ValueLayout.JAVA_BYTE, at, (byte) (host.get(ValueLayout.JAVA_BYTE, at) ^ flip));
                }
                tampered[i] = read(off[i], len[i]);
                assertThat(psp.addOpen(ingress, host, off[i], len[i], sa)).as("%s, seed %d", kinds[i], seed)
                        .isEqualTo(i);
            }
            stage.process(ingress);

            for (int i = 0; i < n - 1; i++) {
                assertThat(PspStatus.name(psp.decapsulate(ingress, i, host, off[i], len[i])))
                        .as("tampered %s under %s on %s, seed %d", kinds[i], version, stage.name(), seed)
                        .isEqualTo("AUTH_FAILED");
                assertThat(read(off[i], len[i])).as("%s: nothing released, seed %d", kinds[i], seed)
                        .isEqualTo(tampered[i]);
            }
            assertThat(psp.decapsulate(ingress, n - 1, host, off[n - 1], len[n - 1])).isEqualTo(PspStatus.OK);
            assertThat(psp.counters().drops(PspStatus.AUTH_FAILED)).isEqualTo(n - 1);
            assertThat(psp.counters().openedPackets()).isEqualTo(1);
        }
    }

    @Test
    public void opensPacketsWhoseOuterHeadersRoutersRewrote() {
        // The outer IPv4 and UDP headers are not in the AAD: a TTL decrement must not break the ICV.
        Random random = new Random(42);
        PspSa sa = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x1A345678, PspVersion.AES_GCM_256, 1);
        byte[] f = geneveFrame(random, 200, 99);
        long at = slot(0);
        host.asSlice(at, f.length).copyFrom(MemorySegment.ofArray(f));
        try (CryptoBatch batch = new CryptoBatch(1, host)) {
            psp.encapsulate(host, at, f.length, sa);
            long off = psp.frameOffset();
            int len = psp.frameLength();
            psp.addSeal(batch, host, off, len, sa, 77);
            stage.process(batch);
            host.set(ValueLayout.JAVA_BYTE, off + 22, (byte) 63);
            PspTransport.setIpv4Checksum(host, off + 14, 20);
            batch.clear();
            int d = psp.addOpen(batch, host, off, len, sa);
            stage.process(batch);

            assertThat(psp.decapsulate(batch, d, host, off, len)).isEqualTo(PspStatus.OK);
            byte[] opened = read(psp.frameOffset(), psp.frameLength());
            assertThat(opened[22]).isEqualTo((byte) 63);
            assertThat(ipv4Checksum(opened, 14, 20)).isZero();
        }
    }

    @Test
    public void failsToOpenUnderAKeyFromTheOtherMasterKey() {
        Random random = new Random(7);
        PspSa sender = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x9A345678, PspVersion.AES_GCM_128, 1);
        // Same SPI, but the receiver's master keys are swapped: a different derived key.
        PspSa receiver = PspSa.derive(MASTER_KEY_1, MASTER_KEY_0, 0x9A345678, PspVersion.AES_GCM_128, 1);
        byte[] f = geneveFrame(random, 300, 1);
        long at = slot(0);
        host.asSlice(at, f.length).copyFrom(MemorySegment.ofArray(f));
        try (CryptoBatch batch = new CryptoBatch(1, host)) {
            psp.encapsulate(host, at, f.length, sender);
            long off = psp.frameOffset();
            int len = psp.frameLength();
            psp.addSeal(batch, host, off, len, sender, 1);
            stage.process(batch);
            batch.clear();
            int d = psp.addOpen(batch, host, off, len, receiver);
            stage.process(batch);

            assertThat(PspStatus.name(psp.decapsulate(batch, d, host, off, len))).isEqualTo("AUTH_FAILED");
            assertThat(psp.counters().drops(PspStatus.AUTH_FAILED)).isEqualTo(1);
        }
    }

    @Test
    public void dropsPacketsForAnotherSpiOrVersionBeforeDecrypting() {
        Random random = new Random(8);
        PspSa sa = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x00000010, PspVersion.AES_GCM_128, 0);
        PspSa otherSpi = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x00000011, PspVersion.AES_GCM_128, 0);
        PspSa otherVersion = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x00000010, PspVersion.AES_GCM_256, 0);
        byte[] f = geneveFrame(random, 100, 1);
        long at = slot(0);
        host.asSlice(at, f.length).copyFrom(MemorySegment.ofArray(f));
        try (CryptoBatch batch = new CryptoBatch(1, host)) {
            psp.encapsulate(host, at, f.length, sa);
            long off = psp.frameOffset();
            int len = psp.frameLength();
            psp.addSeal(batch, host, off, len, sa, 1);
            stage.process(batch);
            batch.clear();

            assertThat(psp.addOpen(batch, host, off, len, otherSpi)).isEqualTo(PspStatus.WRONG_SPI);
            assertThat(psp.addOpen(batch, host, off, len, otherVersion)).isEqualTo(PspStatus.WRONG_VERSION);
            assertThat(batch.size()).isZero();
            assertThat(psp.counters().drops(PspStatus.WRONG_SPI)).isEqualTo(1);
            assertThat(psp.counters().drops(PspStatus.WRONG_VERSION)).isEqualTo(1);
        }
    }

    /** Sealed through the stage, compared with the JDK oracle, opened through the stage, compared with the input. */
    private void roundTrip(List<byte[]> frames, java.util.function.IntFunction<PspSa> saOf, long seed, long ivBase) {
        int n = frames.size();
        long[] off = new long[n];
        int[] len = new int[n];
        long[] cookie = new long[n];
        byte[][] unsealed = new byte[n][];
        Random random = new Random(seed ^ 0xC00C1EL);
        try (CryptoBatch egress = new CryptoBatch(EGRESS_BATCH, host);
             CryptoBatch ingress = new CryptoBatch(INGRESS_BATCH, host)) {
            for (int first = 0; first < n; first += EGRESS_BATCH) {
                egress.clear();
                int last = Math.min(n, first + EGRESS_BATCH);
                int[] descriptor = new int[last - first];
                for (int i = first; i < last; i++) {
                    byte[] f = frames.get(i);
                    PspSa sa = saOf.apply(i);
                    long at = slot(i);
                    host.asSlice(at, f.length).copyFrom(MemorySegment.ofArray(f));
                    cookie[i] = random.nextLong();
                    assertThat(PspStatus.name(psp.encapsulate(host, at, f.length, sa, cookie[i])))
                            .as("encapsulate frame %d (%d B) under %s, seed %d", i, f.length, sa, seed)
                            .isEqualTo("OK");
                    off[i] = psp.frameOffset();
                    len[i] = psp.frameLength();
                    assertThat(off[i]).isEqualTo(at - PspTransport.headroom(sa));
                    assertThat(len[i]).isEqualTo(f.length + PspTransport.overhead(sa));
                    descriptor[i - first] = psp.addSeal(egress, host, off[i], len[i], sa, ivBase + i);
                    assertThat(descriptor[i - first]).as("seal frame %d, seed %d", i, seed).isEqualTo(i - first);
                    unsealed[i] = read(off[i], len[i]);
                }
                stage.process(egress);
                for (int i = first; i < last; i++) {
                    assertThat(psp.completeSeal(egress, descriptor[i - first])).isEqualTo(PspStatus.OK);
                    checkSealed(frames.get(i), read(off[i], len[i]), unsealed[i], saOf.apply(i), cookie[i],
                            ivBase + i, "frame " + i + " (" + frames.get(i).length + " B) under " + saOf.apply(i)
                                    + " on " + stage.name() + ", seed " + seed);
                }
            }
            for (int first = 0; first < n; first += INGRESS_BATCH) {
                ingress.clear();
                int last = Math.min(n, first + INGRESS_BATCH);
                for (int i = first; i < last; i++) {
                    assertThat(psp.addOpen(ingress, host, off[i], len[i], saOf.apply(i)))
                            .as("open frame %d, seed %d", i, seed).isEqualTo(i - first);
                }
                stage.process(ingress);
                for (int i = first; i < last; i++) {
                    String what = "frame " + i + " under " + saOf.apply(i) + " on " + stage.name() + ", seed " + seed;
                    assertThat(PspStatus.name(psp.decapsulate(ingress, i - first, host, off[i], len[i])))
                            .as(what).isEqualTo("OK");
                    assertThat(psp.frameOffset()).as(what).isEqualTo(slot(i));
                    assertThat(read(psp.frameOffset(), psp.frameLength())).as(what).isEqualTo(frames.get(i));
                }
            }
        }
        assertThat(psp.counters().sealedPackets()).isEqualTo(n);
        assertThat(psp.counters().openedPackets()).isEqualTo(n);
        assertThat(psp.counters().totalDrops()).as("drops: %s", psp.counters()).isZero();
    }

    private static void checkSealed(byte[] original, byte[] sealed, byte[] unsealed, PspSa sa, long cookie, long iv,
                                    String what) {
        int ihl = (original[14] & 0x0F) * 4;
        int payload = original.length - 14 - ihl;
        int udp = 14 + ihl;
        int h = udp + 8;
        int vc = sa.virtualizationCookie() ? 8 : 0;
        assertThat(sealed).as("%s: same bytes as the JDK computes", what)
                .isEqualTo(PspTestPackets.jdkSeal(unsealed, sa.key()));
        assertThat(ipv4Checksum(sealed, 14, ihl)).as("%s: outer IPv4 checksum", what).isZero();
        assertThat(sealed[14 + 9]).as(what).isEqualTo((byte) 17);
        assertThat(get16(sealed, 16)).as(what).isEqualTo(sealed.length - 14);
        assertThat(get16(sealed, udp + 2)).as(what).isEqualTo(1000);
        assertThat(get16(sealed, udp + 4)).as(what).isEqualTo(sealed.length - 14 - ihl);
        int protocol = original[14 + 9] & 0xFF;
        assertThat(get16(sealed, udp)).as("%s: source port kept", what)
                .isEqualTo(protocol == 17 ? get16(original, udp) : 1000);
        MemorySegment header = MemorySegment.ofArray(sealed);
        assertThat(PspHeader.nextHeader(header, h)).as(what).isEqualTo(protocol);
        assertThat(PspHeader.headerLength(header, h)).as(what).isEqualTo(16 + vc);
        assertThat(PspHeader.version(header, h)).as(what).isEqualTo(sa.version().code());
        assertThat(PspHeader.cryptOffset(header, h)).as(what).isEqualTo(sa.cryptOffset());
        assertThat(PspHeader.spi(header, h)).as(what).isEqualTo(sa.spi());
        assertThat(PspHeader.iv(header, h)).as(what).isEqualTo(iv);
        if (vc != 0) {
            // Written in clear; after sealing it is ciphertext unless the crypt offset covers it (>= 2).
            assertThat(PspHeader.virtualizationCookie(MemorySegment.ofArray(unsealed), h)).as(what)
                    .isEqualTo(cookie);
        }
        // The bytes after the base header that stay readable: crypt offset (GCM) or all of them (GMAC).
        int afterBase = vc + payload;
        int clear = sa.version().encrypts() ? sa.cryptOffset() * 4 : afterBase;
        byte[] expected = new byte[afterBase];
        for (int i = 0; i < vc; i++) {
            expected[i] = (byte) (cookie >>> (56 - 8 * i));
        }
        System.arraycopy(original, 14 + ihl, expected, vc, payload);
        assertThat(java.util.Arrays.copyOfRange(sealed, h + 16, h + 16 + clear)).as("%s: clear bytes", what)
                .isEqualTo(java.util.Arrays.copyOf(expected, clear));
        if (afterBase - clear >= 16) {
            assertThat(java.util.Arrays.copyOfRange(sealed, h + 16 + clear, h + 16 + afterBase))
                    .as("%s: encrypted bytes", what).isNotEqualTo(java.util.Arrays.copyOfRange(expected, clear,
                            afterBase));
        }
    }

    protected final long slot(int i) {
        return (long) i * SLOT + HEADROOM;
    }

    protected final byte[] read(long offset, int length) {
        return host.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
