package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.JdkGcm;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.blocks.nic.NicDevice;
import dev.andromeda.testbed.hw.blocks.nic.NicDriver;
import dev.andromeda.testbed.hw.blocks.nic.NicModule;
import dev.andromeda.testbed.hw.contract.Rfc1071;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.replay.IcarusReplay;
import dev.andromeda.testbed.hw.replay.TraceRecorder;
import dev.andromeda.testbed.hw.tools.BlockSources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.*;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every block under a second simulator: its driver runs a seeded workload on the Verilated RTL
 * (results checked against an oracle written apart: {@link MemorySegment#copy}, RFC 1071, the
 * JDK's AES/GCM) while a {@link TraceRecorder} writes each cycle's inputs and outputs; Icarus
 * Verilog then compiles the block from {@code rtl/} (the files its {@code model.yaml} lists, so
 * the NIC with every block inside it) and must show the same outputs on every cycle.
 * Under {@code CI=true} (./tb test) a missing {@code iverilog} fails the test.
 */
class IcarusReplayTest {
    private static final Path RTL = Path.of("..", "rtl").toAbsolutePath().normalize();

    @BeforeEach
    void requireIcarus() {
        Backends.requireTool("Icarus Verilog", IcarusReplay.unavailabilityCause());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {DmaCopyModule.BLOCK, CsumOffloadModule.BLOCK, AesGcmModule.BLOCK, NicModule.BLOCK})
    void icarusShowsTheOutputsVerilatorShowedOnEveryCycle(String block, @TempDir Path dir) throws Exception {
        long seed = 1607;
        Path trace = dir.resolve(block + ".trace");
        List<dev.andromeda.testbed.hw.PortInfo> inputs;
        List<dev.andromeda.testbed.hw.PortInfo> outputs;
        long cycles;
        try (HardwareModel rtl = Backends.open("rtl-ffm", block);
             TraceRecorder rec = new TraceRecorder(rtl, trace)) {
            rec.reset(4);
            switch (block) {
                case DmaCopyModule.BLOCK -> dma(rec, seed);
                case CsumOffloadModule.BLOCK -> csum(rec, seed);
                case NicModule.BLOCK -> nic(rec, seed);
                default -> gcm(rec, seed);
            }
            inputs = TraceRecorder.inputsOf(rtl);
            outputs = TraceRecorder.outputsOf(rtl);
            cycles = rec.cycles();
        }
        // What Verilator built the model from (model.yaml's sources): the NIC's include every
        // block it instantiates.
        List<Path> sources = BlockSources.of(RTL, block);
        IcarusReplay.Outcome o = IcarusReplay.run(block, sources, inputs, outputs, trace, dir.resolve("icarus"));
        assertThat(o.cycles()).as("%s seed %d: cycles replayed", block, seed).isEqualTo(cycles);
        assertThat(o.mismatches()).as("%s seed %d, Icarus vs Verilator (trace %s): %s", block, seed, trace,
                o.firstMismatches()).isZero();
        // Unreset data registers (the NIC's) are X in Icarus until first loaded, 0 in Verilator:
        // allowed only for data, never for a handshake, which reset must set.
        System.out.printf("icarus %s: %d cycles, X after reset until first loaded: %s%n", block, o.cycles(),
                o.powerUpX().isEmpty() ? "none" : o.powerUpX());
        assertThat(o.powerUpX().keySet()).as("%s: a valid or ready unknown after reset", block)
                .noneMatch(n -> n.endsWith("valid") || n.endsWith("ready"));
    }

    /** The replay can fail: one output digit changed in the middle of a good trace is one mismatch. */
    @org.junit.jupiter.api.Test
    void aTraceWithOneOutputChangedIsOneMismatch(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("dma.trace");
        List<dev.andromeda.testbed.hw.PortInfo> inputs;
        List<dev.andromeda.testbed.hw.PortInfo> outputs;
        try (HardwareModel rtl = Backends.open("rtl-ffm", DmaCopyModule.BLOCK);
             TraceRecorder rec = new TraceRecorder(rtl, trace)) {
            rec.reset(4);
            dma(rec, 7);
            inputs = TraceRecorder.inputsOf(rtl);
            outputs = TraceRecorder.outputsOf(rtl);
        }
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(trace));
        int at = lines.size() / 2;
        String[] cols = lines.get(at).split(" ");
        int last = cols.length - 1; // the last output column
        char d = cols[last].charAt(0);
        cols[last] = (d == '0' ? '1' : '0') + cols[last].substring(1);
        lines.set(at, String.join(" ", cols));
        Files.write(trace, lines);
        List<Path> sources = List.of(RTL.resolve(DmaCopyModule.BLOCK).resolve(DmaCopyModule.BLOCK + ".sv"));
        IcarusReplay.Outcome o = IcarusReplay.run(DmaCopyModule.BLOCK, sources, inputs, outputs, trace,
                dir.resolve("icarus"));
        assertThat(o.mismatches()).as("%s", o.log()).isEqualTo(1);
        assertThat(o.firstMismatches().getFirst()).contains("cycle " + at + " " + outputs.getLast().name());
    }

    private static void dma(HardwareModel m, long seed) {
        Random r = new Random(seed);
        int n = 12;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(2L * n * 2048, 64);
            byte[] noise = new byte[(int) mem.byteSize()];
            r.nextBytes(noise);
            MemorySegment.copy(noise, 0, mem, ValueLayout.JAVA_BYTE, 0, noise.length);
            DmaCopyDriver.Job[] jobs = new DmaCopyDriver.Job[n];
            for (int i = 0; i < n; i++) {
                jobs[i] = new DmaCopyDriver.Job((long) i * 2048 + r.nextInt(64), (long) (n + i) * 2048 + r.nextInt(64),
                        r.nextInt(1500), i);
            }
            DmaCopyDriver.Result res = new DmaCopyDriver(m).run(mem, jobs, seed, 0.2, 0.2, 5, 4);
            for (int i = 0; i < n; i++) {
                DmaCopyDriver.Job j = jobs[i];
                assertThat(res.status()[i]).as("seed %d copy %d status", seed, i).isZero();
                assertThat(mem.asSlice(j.dst(), j.length()).toArray(ValueLayout.JAVA_BYTE))
                        .as("seed %d copy %d", seed, i)
                        .isEqualTo(Arrays.copyOfRange(noise, (int) j.src(), (int) j.src() + j.length()));
            }
        }
    }

    /** RFC 1071, written here: the one's complement of the one's-complement sum of 16-bit words. */
    private static int rfc1071(byte[] b, int from, int to, int seed) {
        long sum = seed & 0xFFFF;
        for (int i = from; i < to; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /**
     * Sixteen packets with random idle cycles and back-pressure; the last two are refused (one
     * longer than the block's largest packet, one whose insert offset lies past its end), so the
     * replay covers the drain path and the error statuses as well as the sums.
     */
    private static void csum(HardwareModel m, long seed) {
        Random r = new Random(seed);
        int n = 16;
        int slot = 10_240;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate((long) n * slot, 64);
            byte[] data = new byte[n * slot];
            r.nextBytes(data);
            MemorySegment.copy(data, 0, mem, ValueLayout.JAVA_BYTE, 0, data.length);
            CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[n];
            for (int i = 0; i < n - 2; i++) {
                int len = 40 + r.nextInt(1460);
                jobs[i] = new CsumOffloadDriver.Job((long) i * slot, len, 14, 0, false, r.nextInt(1 << 16));
            }
            jobs[n - 2] = new CsumOffloadDriver.Job((long) (n - 2) * slot, 9_300, 14, 0, false, 0);
            jobs[n - 1] = new CsumOffloadDriver.Job((long) (n - 1) * slot, 100, 14, 200, true, 0);
            CsumOffloadDriver.Result res = new CsumOffloadDriver(m).run(mem, jobs, seed, 0.2, 0.2);
            for (int i = 0; i < n - 2; i++) {
                CsumOffloadDriver.Job j = jobs[i];
                int base = (int) j.offset();
                assertThat(res.csum()[i]).as("seed %d packet %d", seed, i)
                        .isEqualTo(rfc1071(data, base + j.csumStart(), base + j.length(), j.seed()));
            }
            assertThat(res.status()[n - 2]).as("seed %d: 9,300 bytes", seed).isEqualTo(CsumOffloadModule.STATUS_TOO_LONG);
            assertThat(res.status()[n - 1]).as("seed %d: offset 200 in 100 bytes", seed)
                    .isEqualTo(CsumOffloadModule.STATUS_BAD_OFFSET);
        }
    }

    /**
     * The NIC through its driver, both ways at once, under random memory latency, idle cycles
     * and back-pressure on the memory and the wire, with rings of 4 (the host waits for a slot):
     * 8 TX frames at any alignment, some with checksum insertion, two of them malformed (beyond
     * the memory window; insert offset past the end); 6 frames in from the wire into posted
     * buffers, one buffer misaligned (refused, its frame waits for the next) and one too small
     * (truncated). Frames, completions and checksums against RFC 1071 transcribed. Kept short
     * (about 1,500 cycles): Icarus evaluates the whole NIC, every block inside it included.
     */
    private static void nic(HardwareModel m, long seed) {
        Random r = new Random(seed);
        long window = 768 * 1024;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(1 << 20, 64);
            NicDevice nic = new NicDevice(m, mem, new NicDevice.Timing(seed, 1 + r.nextInt(6), 1 + r.nextInt(4),
                    0.2, 0.2, 0.2, 0.2));
            NicDriver drv = new NicDriver(nic, mem, 0, window, 0, 2);
            int frames = 8;
            List<long[]> tx = new ArrayList<>();
            List<Integer> txStatus = new ArrayList<>();
            List<byte[]> wantOut = new ArrayList<>();
            long at = 64 * 1024;
            for (int i = 0; i < frames; i++) {
                int len = 40 + r.nextInt(400);
                at += r.nextInt(16);
                byte[] f = new byte[len];
                r.nextBytes(f);
                MemorySegment.copy(f, 0, mem, ValueLayout.JAVA_BYTE, at, len);
                if (i == 3) {
                    tx.add(new long[] {window - 8, 64, 0, 0, 0});
                    txStatus.add(ST_BAD_ADDR);
                } else if (i == 6) {
                    tx.add(new long[] {at, len, 0, len - 1, FLAG_CSUM_INSERT});
                    txStatus.add(ST_BAD_CSUM);
                } else if (i % 2 == 0) {
                    int start = r.nextInt(len - 1);
                    int insert = r.nextInt(len - 1);
                    boolean udp = r.nextBoolean();
                    tx.add(new long[] {at, len, start, insert, FLAG_CSUM_INSERT | (udp ? FLAG_CSUM_UDP : 0)});
                    wantOut.add(Rfc1071.withWord(f, insert, Rfc1071.transmitted(Rfc1071.checksum(f, start, 0), udp)));
                    txStatus.add(ST_OK);
                } else {
                    tx.add(new long[] {at, len, 0, 0, 0});
                    wantOut.add(f);
                    txStatus.add(ST_OK);
                }
                at += len + 64;
            }
            int inFrames = 6;
            List<byte[]> wantIn = new ArrayList<>();
            for (int i = 0; i < inFrames; i++) {
                byte[] f = new byte[40 + r.nextInt(400)];
                r.nextBytes(f);
                wantIn.add(f);
                nic.wireIn().send(AxiFrame.of(f));
            }
            // RX buffers in posting order: the third misaligned (refused; its frame waits), the
            // sixth 32 bytes (the frame it takes is truncated); the rest 1 KiB.
            int buffers = inFrames + 1;
            long rxBase = 512 * 1024;
            int txPosted = 0;
            int txDone = 0;
            int rxPosted = 0;
            int rxDone = 0;
            int frameIn = 0;
            int[] cookies = new int[8];
            long[] cpl = new long[8];
            while (txDone < frames || rxDone < buffers) {
                while (txPosted < frames) {
                    long[] j = tx.get(txPosted);
                    if (!drv.postTx(j[0], (int) j[1], (int) j[2], (int) j[3], (int) j[4], txPosted)) {
                        break;
                    }
                    txPosted++;
                }
                drv.ringTx();
                while (rxPosted < buffers && drv.postRx(rxBase + 1024L * rxPosted + (rxPosted == 2 ? 4 : 0),
                        rxPosted == 5 ? 32 : 1024, rxPosted)) {
                    rxPosted++;
                }
                drv.ringRx();
                nic.cycle();
                int n = drv.pollTx(cookies, cpl, cookies.length);
                for (int k = 0; k < n; k++) {
                    assertThat(cplStatus(cpl[k])).as("seed %d tx %d", seed, txDone).isEqualTo(txStatus.get(txDone));
                    txDone++;
                }
                n = drv.pollRx(cookies, cpl, cookies.length);
                for (int k = 0; k < n; k++) {
                    int b = cookies[k];
                    if (b == 2) {
                        assertThat(cplStatus(cpl[k])).as("seed %d rx buffer 2 (misaligned)", seed)
                                .isEqualTo(ST_BAD_ADDR);
                    } else {
                        byte[] f = wantIn.get(frameIn++);
                        int cap = b == 5 ? 32 : 1024;
                        assertThat(cplStatus(cpl[k])).as("seed %d rx buffer %d", seed, b)
                                .isEqualTo(b == 5 ? ST_TRUNCATED : ST_OK);
                        assertThat(cplLen(cpl[k])).as("seed %d rx buffer %d length", seed, b).isEqualTo(f.length);
                        int kept = Math.min(cap, f.length);
                        assertThat(mem.asSlice(rxBase + 1024L * b, kept).toArray(ValueLayout.JAVA_BYTE))
                                .as("seed %d rx buffer %d", seed, b).isEqualTo(Arrays.copyOf(f, kept));
                        if (b != 5) {
                            assertThat(cplCsum(cpl[k])).as("seed %d rx buffer %d checksum", seed, b)
                                    .isEqualTo(Rfc1071.checksum(f, 14, 0));
                        }
                    }
                    rxDone++;
                }
                assertThat(nic.now()).as("seed %d: hung", seed).isLessThan(1_000_000);
            }
            nic.runUntil(() -> nic.wireOut().frames().size() == wantOut.size(), 100_000);
            List<AxiFrame> out = nic.wireOut().frames();
            for (int i = 0; i < wantOut.size(); i++) {
                assertThat(out.get(i).data()).as("seed %d frame out %d", seed, i).isEqualTo(wantOut.get(i));
            }
            assertThat(nic.read(REG_TX_ERRORS)).as("seed %d TX_ERRORS", seed).isEqualTo(2);
            assertThat(nic.read(REG_RX_ERRORS)).as("seed %d RX_ERRORS", seed).isEqualTo(2);
            // The wire was held off (frames waited in the RX FIFO while TX worked): back-pressure replayed.
            assertThat(nic.read(REG_RX_STALL_CYCLES)).as("seed %d RX_STALL_CYCLES", seed).isPositive();
        }
    }

    private static void gcm(HardwareModel m, long seed) throws Exception {
        Random r = new Random(seed);
        int n = 6;
        AesGcmDriver.Job[] jobs = new AesGcmDriver.Job[n];
        byte[][] want = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[i % 2 == 0 ? 16 : 32];
            byte[] iv = new byte[12];
            byte[] aad = new byte[r.nextInt(40)];
            byte[] pt = new byte[r.nextInt(300)];
            r.nextBytes(key);
            r.nextBytes(iv);
            r.nextBytes(aad);
            r.nextBytes(pt);
            byte[] sealed = JdkGcm.seal(key, iv, aad, pt);
            if (i % 3 == 2) {
                jobs[i] = new AesGcmDriver.Job(true, key, iv, aad, Arrays.copyOf(sealed, pt.length),
                        Arrays.copyOfRange(sealed, pt.length, sealed.length));
                want[i] = pt;
            } else {
                jobs[i] = new AesGcmDriver.Job(false, key, iv, aad, pt, null);
                want[i] = Arrays.copyOf(sealed, pt.length);
            }
        }
        // Two refused commands in the middle, so the replay covers the drain path and the
        // statuses: an open longer than MAX_TEXT_BYTES, and a seal whose text tlast comes 3 beats
        // early (its begun ciphertext frame closed by a tuser beat).
        AesGcmDriver.Job[] all = new AesGcmDriver.Job[n + 2];
        System.arraycopy(jobs, 0, all, 0, 3);
        all[3] = new AesGcmDriver.Job(true, new byte[16], new byte[12], new byte[8],
                new byte[AesGcmModule.DEFAULT_MAX_TEXT_BYTES + 1], new byte[16]);
        all[4] = new AesGcmDriver.Job(false, new byte[32], new byte[12], new byte[0], new byte[40], null,
                new AesGcmDriver.Framing(-1, 64, -1, -1));
        System.arraycopy(jobs, 3, all, 5, n - 3);
        AesGcmDriver.Result res = new AesGcmDriver(m).run(all, seed, 0.2, 0.2);
        for (int i = 0; i < n; i++) {
            int at = i < 3 ? i : i + 2;
            assertThat(res.ok()[at]).as("seed %d job %d ok", seed, i).isTrue();
            assertThat(res.text()[at]).as("seed %d job %d text", seed, i).isEqualTo(want[i]);
        }
        assertThat(res.status()[3]).as("seed %d: an over-long open", seed).isEqualTo(AesGcmModule.STATUS_TOO_LONG);
        assertThat(res.status()[4]).as("seed %d: tlast early", seed).isEqualTo(AesGcmModule.STATUS_BAD_FRAMING);
        assertThat(res.errCount()).isEqualTo(2);
    }
}
