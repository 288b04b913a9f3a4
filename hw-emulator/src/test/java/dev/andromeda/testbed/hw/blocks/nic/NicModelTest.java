package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.hw.contract.Rfc1071;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NIC's Java cycle model driven through its driver: descriptors in rings in host
 * memory, doorbells, completions polled. Oracles: RFC 1071 transcribed (test-side
 * {@link Rfc1071}), the frames as written, canary bytes around every buffer.
 */
class NicModelTest {
    private static final int MEM = 1 << 20;
    private static final int RINGS = 0;
    private static final int LOG = 4;
    private static final int BUFFERS = 64 * 1024; // buffers start here
    private static final byte CANARY = (byte) 0xA5;

    private static NicDevice device(MemorySegment mem, long seed, boolean stalls) {
        NicDevice.Timing t = stalls ? new NicDevice.Timing(seed, 7, 3, 0.3, 0.3, 0.3, 0.4)
                : NicDevice.Timing.steady(4);
        return new NicDevice(new KitModel(new NicModule()), mem, t);
    }

    private static byte[] randomFrame(Random r, int len) {
        byte[] f = new byte[len];
        r.nextBytes(f);
        return f;
    }

    private static String seedNote(long seed) {
        return "seed " + seed;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 0xC0FFEE})
    void transmitsRandomFramesWithChecksumsInsertedUnderBackPressure(long seed) {
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            mem.fill(CANARY);
            NicDevice nic = device(mem, seed, seed % 2 == 1);
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, RINGS, LOG);
            List<byte[]> expected = new ArrayList<>();
            int frames = 40;
            long at = BUFFERS;
            int posted = 0;
            int completed = 0;
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            List<long[]> jobs = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                int len = 1 + r.nextInt(r.nextBoolean() ? 80 : 1600);
                at += r.nextInt(16); // any alignment
                byte[] f = randomFrame(r, len);
                MemorySegment.copy(f, 0, mem, java.lang.foreign.ValueLayout.JAVA_BYTE, at, len);
                int flags = 0;
                int start = 0;
                int insert = 0;
                byte[] want = f;
                if (len >= 2 && r.nextBoolean()) {
                    start = r.nextInt(len - 1);
                    insert = r.nextInt(len - 1);
                    boolean udp = r.nextBoolean();
                    flags = FLAG_CSUM_INSERT | (udp ? FLAG_CSUM_UDP : 0);
                    int c = Rfc1071.transmitted(Rfc1071.checksum(f, start, 0), udp);
                    want = Rfc1071.withWord(f, insert, c);
                }
                expected.add(want);
                jobs.add(new long[] {at, len, start, insert, flags});
                at += len + 64;
            }
            byte[] before = mem.asSlice(BUFFERS, at - BUFFERS).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            while (completed < frames) {
                while (posted < frames) {
                    long[] j = jobs.get(posted);
                    if (!drv.postTx(j[0], (int) j[1], (int) j[2], (int) j[3], (int) j[4], posted)) {
                        break; // ring full: back-pressure, try after completions
                    }
                    posted++;
                }
                drv.ringTx();
                nic.cycle();
                int n = drv.pollTx(cookies, cpl, cookies.length);
                for (int k = 0; k < n; k++) {
                    assertThat(cookies[k]).as(seedNote(seed)).isEqualTo(completed);
                    assertThat(cplStatus(cpl[k])).as(seedNote(seed) + " frame " + completed).isEqualTo(ST_OK);
                    assertThat(cplLen(cpl[k])).as(seedNote(seed)).isEqualTo(jobs.get(completed)[1]);
                    completed++;
                }
                assertThat(nic.now()).as(seedNote(seed) + ": hung").isLessThan(2_000_000);
            }
            nic.runUntil(() -> nic.wireOut().frames().size() == frames, 100_000);
            List<AxiFrame> got = nic.wireOut().frames();
            for (int i = 0; i < frames; i++) {
                assertThat(got.get(i).data()).as(seedNote(seed) + " frame " + i).isEqualTo(expected.get(i));
                assertThat(got.get(i).user()).as(seedNote(seed)).isZero();
            }
            byte[] after = mem.asSlice(BUFFERS, at - BUFFERS).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertThat(after).as(seedNote(seed) + ": TX must not write host memory").isEqualTo(before);
            // The head (and the counters) move when the completion's write is answered.
            nic.runUntil(() -> nic.read(REG_TXQ_HEAD) == frames, 10_000);
            assertThat(nic.read(REG_TX_PACKETS)).isEqualTo(frames);
            assertThat(nic.read(REG_TX_ERRORS)).isZero();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 6, 7, 99})
    void receivesRandomFramesIntoPostedBuffersWithChecksumComplete(long seed) {
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            mem.fill(CANARY);
            NicDevice nic = device(mem, seed, seed % 2 == 1);
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, RINGS, LOG);
            int frames = 40;
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                byte[] f = randomFrame(r, 1 + r.nextInt(r.nextBoolean() ? 100 : 1600));
                sent.add(f);
                nic.wireIn().send(AxiFrame.of(f));
            }
            int cap = 2048;
            int nextBuffer = 0;
            int received = 0;
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            while (received < frames) {
                while (drv.postRx(BUFFERS + (long) nextBuffer * (cap + 64), cap, nextBuffer)) {
                    nextBuffer++;
                }
                drv.ringRx();
                nic.cycle();
                int n = drv.pollRx(cookies, cpl, cookies.length);
                for (int k = 0; k < n; k++) {
                    byte[] f = sent.get(received);
                    long buf = BUFFERS + (long) cookies[k] * (cap + 64);
                    assertThat(cplStatus(cpl[k])).as(seedNote(seed)).isEqualTo(ST_OK);
                    assertThat(cplLen(cpl[k])).as(seedNote(seed)).isEqualTo(f.length);
                    byte[] in = mem.asSlice(buf, f.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    assertThat(in).as(seedNote(seed) + " frame " + received).isEqualTo(f);
                    // Bytes after the frame, up to the next 8-byte boundary, are written (whole
                    // beats) but never past the buffer; past the buffer the canary stands.
                    assertThat(mem.get(java.lang.foreign.ValueLayout.JAVA_BYTE, buf + cap)).isEqualTo(CANARY);
                    if (f.length >= 14) {
                        assertThat(cplFlags(cpl[k]) & CPL_CSUM_VALID).as(seedNote(seed)).isEqualTo(CPL_CSUM_VALID);
                        assertThat(cplCsum(cpl[k])).as(seedNote(seed) + " frame " + received)
                                .isEqualTo(Rfc1071.checksum(f, 14, 0));
                    }
                    received++;
                }
                assertThat(nic.now()).as(seedNote(seed) + ": hung").isLessThan(2_000_000);
            }
            nic.runUntil(() -> nic.read(REG_RXQ_HEAD) == frames, 10_000);
            assertThat(nic.read(REG_RX_PACKETS)).isEqualTo(frames);
            assertThat(nic.read(REG_RX_ERRORS)).isZero();
        }
    }

    @Test
    void refusesMalformedDescriptorsWithErrorCompletionsAndKeepsGoing() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            mem.fill(CANARY);
            NicDevice nic = device(mem, 11, false);
            // The registered window is [BUFFERS-?]: rings at 0, buffers from 64 KiB, window 0..512 KiB.
            long window = 512 * 1024;
            NicDriver drv = new NicDriver(nic, mem, 0, window, RINGS, LOG);
            long good = BUFFERS;
            assertThat(drv.postTx(good, 0, 0, 0, 0, 0)).isTrue();                        // length 0
            assertThat(drv.postTx(good, MAX_FRAME + 1, 0, 0, 0, 1)).isTrue();           // too long
            assertThat(drv.postTx(window - 10, 64, 0, 0, 0, 2)).isTrue();               // runs past the window
            assertThat(drv.postTx(1L << 40, 64, 0, 0, 0, 3)).isTrue();                  // outside memory
            assertThat(drv.postTx(good, 64, 0, 63, FLAG_CSUM_INSERT, 4)).isTrue();       // insert past the end
            assertThat(drv.postTx(good, 64, 0, 0, 0x08, 5)).isTrue();                   // a reserved flag
            assertThat(drv.postTx(good, 64, 0, 0, 0, 6)).isTrue();                      // fine
            drv.ringTx();
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            nic.runUntil(() -> nic.read(REG_TXQ_HEAD) == 7, 20_000);
            int got = drv.pollTx(cookies, cpl, 16);
            assertThat(got).isEqualTo(7);
            int[] want = {ST_BAD_LEN, ST_BAD_LEN, ST_BAD_ADDR, ST_BAD_ADDR, ST_BAD_CSUM, ST_UNSUPPORTED, ST_OK};
            for (int i = 0; i < 7; i++) {
                assertThat(cplStatus(cpl[i])).as("descriptor " + i + ": " + statusName(cplStatus(cpl[i])))
                        .isEqualTo(want[i]);
            }
            nic.runUntil(() -> nic.wireOut().frames().size() == 1, 10_000);
            assertThat(nic.wireOut().frames()).hasSize(1);
            assertThat(nic.read(REG_TX_ERRORS)).isEqualTo(6);
            assertThat(nic.read(REG_TX_PACKETS)).isEqualTo(1);
        }
    }

    @Test
    void rxNeverWritesPastTheBufferAndRefusesBadBuffers() {
        Random r = new Random(12);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            mem.fill(CANARY);
            NicDevice nic = device(mem, 12, false);
            long window = 512 * 1024;
            NicDriver drv = new NicDriver(nic, mem, 0, window, RINGS, LOG);
            byte[] big = randomFrame(r, 300);
            nic.wireIn().send(AxiFrame.of(big));
            assertThat(drv.postRx(BUFFERS + 4, 512, 0)).isTrue();       // misaligned
            assertThat(drv.postRx(window - 64, 512, 1)).isTrue();       // runs past the window
            assertThat(drv.postRx(BUFFERS, 0, 2)).isTrue();             // capacity 0
            assertThat(drv.postRx(BUFFERS, 100, 3)).isTrue();           // too small: truncated
            drv.ringRx();
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            nic.runUntil(() -> nic.read(REG_RXQ_HEAD) == 4, 20_000);
            assertThat(drv.pollRx(cookies, cpl, 16)).isEqualTo(4);
            assertThat(cplStatus(cpl[0])).isEqualTo(ST_BAD_ADDR);
            assertThat(cplStatus(cpl[1])).isEqualTo(ST_BAD_ADDR);
            assertThat(cplStatus(cpl[2])).isEqualTo(ST_BAD_LEN);
            assertThat(cplStatus(cpl[3])).isEqualTo(ST_TRUNCATED);
            assertThat(cplLen(cpl[3])).isEqualTo(300);
            byte[] in = mem.asSlice(BUFFERS, 100).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertThat(in).isEqualTo(Arrays.copyOf(big, 100));
            for (long a = BUFFERS + 100; a < BUFFERS + 2048; a++) {
                assertThat(mem.get(java.lang.foreign.ValueLayout.JAVA_BYTE, a)).as("byte at %d", a).isEqualTo(CANARY);
            }
            assertThat(nic.read(REG_RX_ERRORS)).isEqualTo(4);
        }
    }

    @Test
    void holdsTheWireWhenNoBufferIsPostedAndLosesNothing() {
        Random r = new Random(13);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = device(mem, 13, false);
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, RINGS, LOG);
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                byte[] f = randomFrame(r, 200 + r.nextInt(400));
                sent.add(f);
                nic.wireIn().send(AxiFrame.of(f));
            }
            // No buffer: the frames wait on the wire (tready low), counted as stall cycles.
            nic.runUntil(() -> nic.read(REG_RX_STALL_CYCLES) > 1_000, 20_000);
            assertThat(nic.wireIn().framesPending()).isGreaterThan(0);
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            int got = 0;
            int buffer = 0;
            while (got < sent.size()) {
                if (drv.postRx(BUFFERS + 1024L * buffer, 1024, buffer)) {
                    buffer++;
                    drv.ringRx();
                }
                nic.cycle();
                int n = drv.pollRx(cookies, cpl, 16);
                for (int k = 0; k < n; k++) {
                    byte[] f = sent.get(got);
                    assertThat(cplStatus(cpl[k])).isEqualTo(ST_OK);
                    assertThat(mem.asSlice(BUFFERS + 1024L * cookies[k], f.length)
                            .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(f);
                    got++;
                }
                assertThat(nic.now()).as("hung").isLessThan(1_000_000);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22})
    void twoNicsOverTheWireDeliverEveryFrameIntact(long seed) {
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memA = arena.allocate(MEM, 64);
            MemorySegment memB = arena.allocate(MEM, 64);
            NicDevice[] pair = NicDevice.pair(new KitModel(new NicModule()), memA, new KitModel(new NicModule()),
                    memB, new NicDevice.Timing(seed, 6, 2, 0.2, 0.2, 0, 0));
            NicDriver a = new NicDriver(pair[0], memA, 0, MEM, RINGS, LOG);
            NicDriver b = new NicDriver(pair[1], memB, 0, MEM, RINGS, LOG);
            int frames = 30;
            List<byte[]> want = new ArrayList<>();
            long at = BUFFERS;
            int posted = 0;
            int got = 0;
            int rxBuf = 0;
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            List<long[]> jobs = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                int len = 60 + r.nextInt(1400);
                byte[] f = randomFrame(r, len);
                MemorySegment.copy(f, 0, memA, java.lang.foreign.ValueLayout.JAVA_BYTE, at, len);
                int start = 14 + r.nextInt(20);
                int insert = start + 6;
                memA.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + insert, (byte) 0);
                memA.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + insert + 1, (byte) 0);
                f[insert] = 0;
                f[insert + 1] = 0;
                want.add(Rfc1071.inserted(f, start, insert, 0));
                jobs.add(new long[] {at, len, start, insert});
                at += len + 8;
            }
            while (got < frames) {
                while (posted < frames && a.postTx(jobs.get(posted)[0], (int) jobs.get(posted)[1],
                        (int) jobs.get(posted)[2], (int) jobs.get(posted)[3], FLAG_CSUM_INSERT, posted)) {
                    posted++;
                }
                a.ringTx();
                while (b.postRx(512 * 1024 + 2048L * (rxBuf % 64), 2048, rxBuf % 64)) {
                    rxBuf++;
                }
                b.ringRx();
                pair[0].cycle();
                a.pollTx(cookies, cpl, 16);
                int n = b.pollRx(cookies, cpl, 16);
                for (int k = 0; k < n; k++) {
                    byte[] f = want.get(got);
                    assertThat(cplStatus(cpl[k])).as(seedNote(seed)).isEqualTo(ST_OK);
                    assertThat(memB.asSlice(512 * 1024 + 2048L * cookies[k], f.length)
                            .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).as(seedNote(seed) + " frame " + got)
                            .isEqualTo(f);
                    // The receiver's checksum complete over the sealed L4 part folds to 0.
                    got++;
                }
                assertThat(pair[0].now()).as(seedNote(seed) + ": hung").isLessThan(2_000_000);
            }
        }
    }
}
