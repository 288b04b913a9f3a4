package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import dev.andromeda.testbed.fastpath.psp.PspHeader;
import dev.andromeda.testbed.fastpath.psp.PspSa;
import dev.andromeda.testbed.fastpath.psp.PspStatus;
import dev.andromeda.testbed.fastpath.psp.PspTestPackets;
import dev.andromeda.testbed.fastpath.psp.PspTransport;
import dev.andromeda.testbed.fastpath.psp.PspVersion;
import dev.andromeda.testbed.hw.contract.JdkGcm;
import dev.andromeda.testbed.hw.contract.PspFrames;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PSP seal inside the NIC's cycle model, through the driver: seeded random frames (lengths
 * 16..9000, any alignment, any header offset and crypt offset, AES-128 and AES-256 keys in
 * random SA slots) under random memory latency, idle cycles and back-pressure, checked
 * against the JDK's AES/GCM ({@link PspFrames}); malformed PSP descriptors each refused
 * with {@code PSP_BAD} and nothing on the wire.
 */
class NicPspTest {
    private static final int MEM = 1 << 20;
    private static final long SA_TABLE = 32 * 1024;
    private static final long BUFFERS = 64 * 1024;
    private static final byte CANARY = (byte) 0xA5;

    private static NicDevice device(MemorySegment mem, long seed, boolean stalls) {
        NicDevice.Timing t = stalls ? new NicDevice.Timing(seed, 7, 3, 0.3, 0.3, 0.3, 0.4)
                : NicDevice.Timing.steady(4);
        return new NicDevice(new KitModel(new NicModule()), mem, t);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 77})
    void sealsRandomFramesAsTheJdkDoesUnderBackPressure(long seed) {
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            mem.fill(CANARY);
            NicDevice nic = device(mem, seed, seed % 2 == 1);
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 4);
            drv.useSaTable(SA_TABLE);
            byte[][] keys = new byte[SA_SLOTS][];
            int frames = 24;
            List<long[]> jobs = new ArrayList<>();
            List<byte[]> want = new ArrayList<>();
            long at = BUFFERS;
            for (int i = 0; i < frames; i++) {
                int slot = r.nextInt(SA_SLOTS);
                if (keys[slot] == null) {
                    boolean aes256 = r.nextBoolean();
                    keys[slot] = JdkGcm.bytes(r, aes256 ? 32 : 16);
                    drv.installSa(slot, keys[slot], aes256, r.nextInt());
                }
                int len = switch (r.nextInt(4)) {
                    case 0 -> 16 + r.nextInt(100);
                    case 1 -> 16 + r.nextInt(9000 - 16 + 1);
                    default -> 60 + r.nextInt(1500);
                };
                int start = r.nextInt(Math.min(len - 16, 90) + 1);
                byte[] f = PspFrames.frame(r, len, start);
                at += r.nextInt(16);
                MemorySegment.copy(f, 0, mem, ValueLayout.JAVA_BYTE, at, len);
                jobs.add(new long[] {at, len, start, slot});
                want.add(PspFrames.sealed(keys[slot], f, start));
                at += len + 64;
            }
            int posted = 0;
            int done = 0;
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            while (done < frames) {
                while (posted < frames) {
                    long[] j = jobs.get(posted);
                    if (!drv.postTx(j[0], (int) j[1], (int) j[2], 0, FLAG_PSP, (int) j[3], posted)) {
                        break;
                    }
                    posted++;
                }
                drv.ringTx();
                nic.cycle();
                int n = drv.pollTx(cookies, cpl, 16);
                for (int k = 0; k < n; k++) {
                    assertThat(cplStatus(cpl[k])).as("seed %d frame %d: %s", seed, done, statusName(cplStatus(cpl[k])))
                            .isEqualTo(ST_OK);
                    assertThat(cplLen(cpl[k])).as("seed %d", seed).isEqualTo(jobs.get(done)[1] + PSP_ICV_BYTES);
                    assertThat(cplFlags(cpl[k]) & CPL_PSP).isEqualTo(CPL_PSP);
                    done++;
                }
                assertThat(nic.now()).as("seed %d: hung", seed).isLessThan(5_000_000);
            }
            nic.runUntil(() -> nic.wireOut().frames().size() == frames, 100_000);
            List<AxiFrame> got = nic.wireOut().frames();
            for (int i = 0; i < frames; i++) {
                assertThat(got.get(i).data()).as("seed %d frame %d (len %d start %d)", seed, i, jobs.get(i)[1],
                        jobs.get(i)[2]).isEqualTo(want.get(i));
                assertThat(got.get(i).user()).isZero();
            }
            nic.runUntil(() -> nic.read(REG_TXQ_HEAD) == frames, 10_000);
            assertThat(nic.read(REG_PSP_TX_SEALED)).isEqualTo(frames);
            assertThat(nic.read(REG_PSP_TX_ERRORS)).isZero();
            assertThat(nic.read(REG_TX_PACKETS)).isEqualTo(frames);
        }
    }

    @Test
    void refusesMalformedPspDescriptorsAndSendsNothingForThem() {
        Random r = new Random(21);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            mem.fill(CANARY);
            NicDevice nic = device(mem, 21, false);
            long window = 512 * 1024;
            NicDriver drv = new NicDriver(nic, mem, 0, window, 0, 4);
            // The table's last slots fall outside the window: 255 * 64 + 64 > window - base.
            long table = window - 200 * SA_BYTES;
            drv.useSaTable(table);
            byte[] key = JdkGcm.bytes(r, 16);
            drv.installSa(3, key, false, 0x1234);
            byte[] f = PspFrames.frame(r, 200, 42);
            f[42 + 2] = 2; // crypt offset 2: AAD 24 bytes
            MemorySegment.copy(f, 0, mem, ValueLayout.JAVA_BYTE, BUFFERS, f.length);
            byte[] far = f.clone();
            far[42 + 2] = 63; // AAD 268 bytes from 42: past the end
            MemorySegment.copy(far, 0, mem, ValueLayout.JAVA_BYTE, BUFFERS + 1024, far.length);
            assertThat(drv.postTx(BUFFERS, 200, 190, 0, FLAG_PSP, 3, 0)).isTrue();                     // header past the end
            assertThat(drv.postTx(BUFFERS + 1024, 200, 42, 0, FLAG_PSP, 3, 1)).isTrue();               // AAD past the end
            assertThat(drv.postTx(BUFFERS, 200, 42, 0, FLAG_PSP, 4, 2)).isTrue();                      // slot not valid
            assertThat(drv.postTx(BUFFERS, 200, 42, 0, FLAG_PSP, 250, 3)).isTrue();                    // SA outside the window
            assertThat(drv.postTx(BUFFERS, 200, 42, 0, FLAG_PSP | FLAG_CSUM_INSERT, 3, 4)).isTrue();   // with a checksum
            assertThat(drv.postTx(BUFFERS, 200, 42, 60, FLAG_PSP, 3, 5)).isTrue();                     // insert not 0
            assertThat(drv.postTx(BUFFERS, MAX_FRAME - 15, 42, 0, FLAG_PSP, 3, 6)).isTrue();          // wire frame too long
            assertThat(drv.postTx(BUFFERS, 200, 42, 0, FLAG_PSP, 3, 7)).isTrue();                      // fine
            drv.ringTx();
            nic.runUntil(() -> nic.read(REG_TXQ_HEAD) == 8, 50_000);
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            assertThat(drv.pollTx(cookies, cpl, 16)).isEqualTo(8);
            for (int i = 0; i < 7; i++) {
                assertThat(cplStatus(cpl[i])).as("descriptor %d: %s", i, statusName(cplStatus(cpl[i])))
                        .isEqualTo(ST_PSP_BAD);
            }
            assertThat(cplStatus(cpl[7])).isEqualTo(ST_OK);
            nic.runUntil(() -> nic.wireOut().frames().size() == 1, 10_000);
            // One engine, jobs in order: bytes of a refused job would have left before the good frame's.
            assertThat(nic.wireOut().frames()).hasSize(1);
            assertThat(nic.wireOut().frames().get(0).data()).isEqualTo(PspFrames.sealed(key, f, 42));
            assertThat(nic.read(REG_PSP_TX_ERRORS)).isEqualTo(7);
            assertThat(nic.read(REG_PSP_TX_SEALED)).isEqualTo(1);
            assertThat(nic.read(REG_TX_ERRORS)).isEqualTo(7);
        }
    }

    /** An RX buffer of the test: 8-byte aligned, 10 KiB apart. */
    private static long rxBuffer(int i) {
        return 256 * 1024 + (long) i * 10240;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32, 33, 34})
    void opensReceivedPspFramesIntoTheBufferWithHeaderSplit(long seed) {
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            mem.fill(CANARY);
            NicDevice nic = device(mem, seed, seed % 2 == 1);
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 4);
            drv.useSaTable(SA_TABLE);
            drv.enablePspRx(true);
            byte[][] keys = new byte[SA_SLOTS][];
            int[] spis = new int[SA_SLOTS];
            int frames = 20;
            List<byte[]> plain = new ArrayList<>();
            List<byte[]> wire = new ArrayList<>();
            List<Integer> kinds = new ArrayList<>(); // 0 PSP ok, 1 tag broken, 2 no SA, 3 not PSP (port 999)
            for (int i = 0; i < frames; i++) {
                int slot = r.nextInt(SA_SLOTS);
                if (keys[slot] == null) {
                    boolean aes256 = r.nextBoolean();
                    keys[slot] = JdkGcm.bytes(r, aes256 ? 32 : 16);
                    spis[slot] = r.nextInt() & ~0xFF | slot;
                    drv.installSa(slot, keys[slot], aes256, spis[slot]);
                }
                int co = r.nextInt(3) == 0 ? r.nextInt(64) : r.nextInt(3);
                int textLen = r.nextInt(4) == 0 ? r.nextInt(16) : r.nextInt(r.nextBoolean() ? 200 : 8800);
                int kind = r.nextInt(8) < 5 ? 0 : r.nextInt(3) + 1;
                int spi = kind == 2 ? spis[slot] ^ 0x100 : spis[slot];       // no SA: the slot's SPI differs
                byte[] f = PspFrames.udpPsp(r, co, spi, textLen);
                byte[] w = PspFrames.sealed(keys[slot], f, 42);
                if (kind == 1) {
                    w[r.nextInt(w.length - 50) + 50] ^= (byte) (1 << r.nextInt(8)); // IV, AAD, text or ICV
                } else if (kind == 3) {
                    w[37] = (byte) 0xE7; // port 999
                }
                plain.add(f);
                wire.add(w);
                kinds.add(kind);
                nic.wireIn().send(AxiFrame.of(w));
            }
            int next = 0;
            int done = 0;
            int opened = 0;
            int authFail = 0;
            int noSa = 0;
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            while (done < frames) {
                while (next < frames && drv.postRx(rxBuffer(next), 10000, next)) {
                    next++;
                }
                drv.ringRx();
                nic.cycle();
                int n = drv.pollRx(cookies, cpl, 16);
                for (int k = 0; k < n; k++) {
                    int i = cookies[k];
                    byte[] f = plain.get(i);
                    byte[] w = wire.get(i);
                    long buf = rxBuffer(i);
                    String what = String.format("seed %d frame %d kind %d len %d", seed, i, kinds.get(i), w.length);
                    int aadEnd = 42 + 16 + 4 * (f[44] & 0x3F);
                    int ptOff = aadEnd + 7 & ~7;
                    switch (kinds.get(i)) {
                        case 0 -> {
                            assertThat(cplStatus(cpl[k])).as(what + ": " + statusName(cplStatus(cpl[k])))
                                    .isEqualTo(ST_OK);
                            assertThat(cplFlags(cpl[k])).as(what).isEqualTo(CPL_PSP);
                            assertThat(cplCsum(cpl[k])).as(what).isEqualTo(ptOff);
                            int textLen = f.length - aadEnd;
                            assertThat(cplLen(cpl[k])).as(what).isEqualTo(ptOff + textLen);
                            assertThat(mem.asSlice(buf, aadEnd).toArray(ValueLayout.JAVA_BYTE)).as(what)
                                    .isEqualTo(java.util.Arrays.copyOf(f, aadEnd));
                            assertThat(mem.asSlice(buf + ptOff, textLen).toArray(ValueLayout.JAVA_BYTE)).as(what)
                                    .isEqualTo(java.util.Arrays.copyOfRange(f, aadEnd, f.length));
                            opened++;
                        }
                        case 1, 2 -> {
                            assertThat(cplStatus(cpl[k])).as(what + ": " + statusName(cplStatus(cpl[k])))
                                    .isEqualTo(kinds.get(i) == 1 ? ST_PSP_AUTH : ST_PSP_NO_SA);
                            // No plaintext reached memory: the buffer holds the frame as received.
                            assertThat(mem.asSlice(buf, w.length).toArray(ValueLayout.JAVA_BYTE)).as(what)
                                    .isEqualTo(w);
                            if (kinds.get(i) == 1) {
                                authFail++;
                            } else {
                                noSa++;
                            }
                        }
                        default -> {
                            assertThat(cplStatus(cpl[k])).as(what).isEqualTo(ST_OK);
                            assertThat(cplFlags(cpl[k]) & CPL_PSP).as(what).isZero();
                            assertThat(cplLen(cpl[k])).as(what).isEqualTo(w.length);
                            assertThat(mem.asSlice(buf, w.length).toArray(ValueLayout.JAVA_BYTE)).as(what)
                                    .isEqualTo(w);
                        }
                    }
                    assertThat(mem.get(ValueLayout.JAVA_BYTE, buf + 10000)).as(what).isEqualTo(CANARY);
                    done++;
                }
                assertThat(nic.now()).as("seed %d: hung", seed).isLessThan(5_000_000);
            }
            assertThat(opened).as("seed %d: frames opened", seed).isPositive();
            int o = opened;
            nic.runUntil(() -> nic.read(REG_RXQ_HEAD) == frames, 10_000);
            assertThat(nic.read(REG_PSP_RX_OPENED)).isEqualTo(o);
            assertThat(nic.read(REG_PSP_RX_AUTH_FAIL)).isEqualTo(authFail);
            assertThat(nic.read(REG_PSP_RX_ERRORS)).isEqualTo(noSa);
            assertThat(nic.read(REG_RX_ERRORS)).isEqualTo(authFail + noSa);
        }
    }

    @Test
    void withRxOpenOffAPspFrameIsDeliveredAsReceived() {
        Random r = new Random(40);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = device(mem, 40, false);
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 4);
            drv.useSaTable(SA_TABLE);
            byte[] key = JdkGcm.bytes(r, 16);
            drv.installSa(7, key, false, 0x07);
            byte[] w = PspFrames.sealed(key, PspFrames.udpPsp(r, 1, 0x07, 300), 42);
            nic.wireIn().send(AxiFrame.of(w));
            assertThat(drv.postRx(rxBuffer(0), 10000, 0)).isTrue();
            drv.ringRx();
            nic.runUntil(() -> drv.rxReady() == 1, 50_000);
            int[] cookies = new int[1];
            long[] cpl = new long[1];
            drv.pollRx(cookies, cpl, 1);
            assertThat(cplStatus(cpl[0])).isEqualTo(ST_OK);
            assertThat(cplFlags(cpl[0]) & CPL_PSP).isZero();
            assertThat(mem.asSlice(rxBuffer(0), w.length).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(w);
        }
    }

    /**
     * The project's software PSP and the NIC interoperate: a frame the fast path
     * encapsulates (PspTransport) and the NIC seals is opened by PspTransport with the
     * software GCM stage; a frame the fast path seals in software is opened by the NIC.
     */
    @ParameterizedTest(name = "crypt offset {0}")
    @ValueSource(ints = {0, 1, 3})
    void interoperatesWithTheSoftwarePspOfTheFastPath(int cryptOffset) {
        Random r = new Random(50 + cryptOffset);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = device(mem, 50, true);
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 4);
            drv.useSaTable(SA_TABLE);
            drv.enablePspRx(true);
            byte[] key = JdkGcm.bytes(r, 16);
            int spi = 0x5A5A5A00 | 0x33;
            PspSa sa = new PspSa(spi, PspVersion.AES_GCM_128, key, cryptOffset, false);
            drv.installSa(spi & 0xFF, key, false, spi);
            PspTransport psp = new PspTransport();
            SoftwareGcm sw = new SoftwareGcm();

            // Fast path encapsulates, NIC seals; fast path opens in software.
            byte[] inner = PspTestPackets.geneveFrame(r, 300, 7);
            long at = BUFFERS + 256;
            MemorySegment.copy(inner, 0, mem, ValueLayout.JAVA_BYTE, at, inner.length);
            assertThat(psp.encapsulate(mem, at, inner.length, sa)).isEqualTo(PspStatus.OK);
            long frame = psp.frameOffset();
            int len = psp.frameLength() - PSP_ICV_BYTES;   // the NIC appends the ICV
            PspHeader.setIv(mem, frame + 42, 0x1122334455667788L);
            assertThat(drv.postTx(frame, len, 42, 0, FLAG_PSP, spi & 0xFF, 0)).isTrue();
            drv.ringTx();
            nic.runUntil(() -> nic.wireOut().frames().size() == 1, 100_000);
            byte[] sealed = nic.wireOut().frames().get(0).data();
            long rx = BUFFERS + 64 * 1024;
            MemorySegment.copy(sealed, 0, mem, ValueLayout.JAVA_BYTE, rx, sealed.length);
            try (CryptoBatch batch = new CryptoBatch(1, mem)) {
                int d = psp.addOpen(batch, mem, rx, sealed.length, sa);
                assertThat(d).isGreaterThanOrEqualTo(0);
                sw.process(batch);
                assertThat(PspStatus.name(psp.decapsulate(batch, d, mem, rx, sealed.length)))
                        .isEqualTo(PspStatus.name(PspStatus.OK));
            }
            assertThat(mem.asSlice(psp.frameOffset(), psp.frameLength()).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(inner);

            // Fast path encapsulates and seals in software; the NIC opens.
            long tx = BUFFERS + 128 * 1024;
            MemorySegment.copy(inner, 0, mem, ValueLayout.JAVA_BYTE, tx, inner.length);
            assertThat(psp.encapsulate(mem, tx, inner.length, sa)).isEqualTo(PspStatus.OK);
            long f2 = psp.frameOffset();
            int l2 = psp.frameLength();
            byte[] plainView;
            try (CryptoBatch batch = new CryptoBatch(1, mem)) {
                int d = psp.addSeal(batch, mem, f2, l2, sa, 99);
                plainView = mem.asSlice(f2, l2 - PSP_ICV_BYTES).toArray(ValueLayout.JAVA_BYTE);
                sw.process(batch);
                assertThat(psp.completeSeal(batch, d)).isEqualTo(PspStatus.OK);
            }
            nic.wireIn().send(AxiFrame.of(mem.asSlice(f2, l2).toArray(ValueLayout.JAVA_BYTE)));
            assertThat(drv.postRx(rxBuffer(0), 10000, 0)).isTrue();
            drv.ringRx();
            nic.runUntil(() -> drv.rxReady() == 1, 100_000);
            int[] cookies = new int[1];
            long[] cpl = new long[1];
            drv.pollRx(cookies, cpl, 1);
            assertThat(statusName(cplStatus(cpl[0]))).isEqualTo(statusName(ST_OK));
            assertThat(cplFlags(cpl[0])).isEqualTo(CPL_PSP);
            int aadEnd = 42 + 16 + 4 * cryptOffset;
            int ptOff = cplCsum(cpl[0]);
            assertThat(mem.asSlice(rxBuffer(0) + ptOff, cplLen(cpl[0]) - ptOff).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(java.util.Arrays.copyOfRange(plainView, aadEnd, plainView.length));
        }
    }

    /**
     * Bus errors on a PSP job: reading the SA entry fails -- MEM_ERROR, nothing sent;
     * reading the text fails -- the frame already begun ends with tuser, MEM_ERROR; on RX,
     * reading the SA entry fails -- MEM_ERROR, no plaintext. The next job runs as usual.
     */
    @Test
    void aBusErrorDuringAPspJobIsAnErrorCompletionNeverAHang() {
        Random r = new Random(60);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            long badSa = SA_TABLE + 5L * SA_BYTES;
            long frameB = BUFFERS + 4096;
            dev.andromeda.testbed.hw.driver.AxiMemory.Faults faults = dev.andromeda.testbed.hw.driver.AxiMemory.Faults
                    .none().failReads(badSa, badSa + SA_BYTES).failReads(frameB + 400, frameB + 408);
            NicDevice nic = new NicDevice(new KitModel(new NicModule()), mem, NicDevice.Timing.steady(4), faults);
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 4);
            drv.useSaTable(SA_TABLE);
            drv.enablePspRx(true);
            byte[] key = JdkGcm.bytes(r, 16);
            drv.installSa(5, key, false, 0x105);
            drv.installSa(6, key, false, 0x106);
            byte[] f = PspFrames.frame(r, 1000, 42);
            MemorySegment.copy(f, 0, mem, ValueLayout.JAVA_BYTE, BUFFERS, f.length);
            MemorySegment.copy(f, 0, mem, ValueLayout.JAVA_BYTE, frameB, f.length);
            assertThat(drv.postTx(BUFFERS, 1000, 42, 0, FLAG_PSP, 5, 0)).isTrue();   // SA read fails
            assertThat(drv.postTx(frameB, 1000, 42, 0, FLAG_PSP, 6, 1)).isTrue();    // text read fails
            assertThat(drv.postTx(BUFFERS, 1000, 42, 0, FLAG_PSP, 6, 2)).isTrue();   // fine
            drv.ringTx();
            nic.runUntil(() -> nic.read(REG_TXQ_HEAD) == 3, 100_000);
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            assertThat(drv.pollTx(cookies, cpl, 16)).isEqualTo(3);
            assertThat(cplStatus(cpl[0])).isEqualTo(ST_MEM_ERROR);
            assertThat(cplStatus(cpl[1])).isEqualTo(ST_MEM_ERROR);
            assertThat(cplStatus(cpl[2])).isEqualTo(ST_OK);
            nic.runUntil(() -> nic.wireOut().frames().size() == 2, 10_000);
            assertThat(nic.wireOut().frames().get(0).user()).as("the frame whose text read failed").isOne();
            assertThat(nic.wireOut().frames().get(1).user()).isZero();
            assertThat(nic.wireOut().frames().get(1).data()).isEqualTo(PspFrames.sealed(key, f, 42));
            assertThat(nic.read(REG_PSP_TX_ERRORS)).isEqualTo(2);

            byte[] w5 = PspFrames.sealed(key, PspFrames.udpPsp(r, 0, 0x105, 500), 42);
            byte[] w6 = PspFrames.sealed(key, PspFrames.udpPsp(r, 0, 0x106, 500), 42);
            nic.wireIn().send(AxiFrame.of(w5));
            nic.wireIn().send(AxiFrame.of(w6));
            assertThat(drv.postRx(rxBuffer(0), 10000, 0)).isTrue();
            assertThat(drv.postRx(rxBuffer(1), 10000, 1)).isTrue();
            drv.ringRx();
            nic.runUntil(() -> drv.rxReady() == 2, 100_000);
            assertThat(drv.pollRx(cookies, cpl, 16)).isEqualTo(2);
            assertThat(statusName(cplStatus(cpl[0]))).isEqualTo(statusName(ST_MEM_ERROR));
            assertThat(mem.asSlice(rxBuffer(0), w5.length).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(w5);
            assertThat(cplStatus(cpl[1])).isEqualTo(ST_OK);
            assertThat(cplFlags(cpl[1])).isEqualTo(CPL_PSP);
            nic.runUntil(() -> nic.read(REG_RXQ_HEAD) == 2, 10_000);
            assertThat(nic.read(REG_PSP_RX_ERRORS)).isEqualTo(1);
            assertThat(nic.read(REG_PSP_RX_OPENED)).isEqualTo(1);
        }
    }
}
