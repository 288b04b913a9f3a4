package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.nic.NicDevice;
import dev.andromeda.testbed.hw.blocks.nic.NicDriver;
import dev.andromeda.testbed.hw.blocks.nic.NicModule;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.contract.JdkGcm;
import dev.andromeda.testbed.hw.contract.PspFrames;
import dev.andromeda.testbed.hw.contract.Rfc1071;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.driver.AxiMemory;
import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.lockstep.LockstepModel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NIC's Java cycle model and its Verilated RTL ({@code rtl/nic}, with
 * {@code csum_offload} and {@code aes_gcm} inside) side by side on the same inputs, every
 * output compared on every cycle ({@link LockstepModel}: on a divergence both waveforms are
 * written), driven through the driver: seeded random TX frames with checksum flags, PSP
 * frames sealed with AES-128 and AES-256 SAs, and RX frames, malformed descriptors (PSP
 * ones included) among them, under random memory latency, idle cycles and back-pressure on
 * the memory and the wire. The traffic itself is checked against RFC 1071 transcribed and
 * the JDK's AES-GCM, with completion moderation armed (random counts and timers) and the
 * interrupt acknowledged at random times while it is up.
 */
class NicLockstepTest {
    private static final int MEM = 1 << 20;
    private static final long WINDOW = 768 * 1024;

    private static HardwareModel emu() {
        KitModel model = new KitModel(new NicModule());
        model.reset(4); // as the RTL backends open theirs
        return model;
    }

    @ParameterizedTest(name = "emu vs {0}, seed {1}, stalls {2}")
    @CsvSource({
            "rtl-ffm, 301, 0.0",
            "rtl-ffm, 302, 0.3",
            "rtl-jni, 303, 0.2",
            "rtl-jni, 304, 0.5",
    })
    void javaModelAndRtlAgreeOnEveryOutputOnEveryCycle(String rtl, long seed, double stall, @TempDir Path waves) {
        HardwareBackend dut = Backends.require(rtl);
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined();
             LockstepModel model = new LockstepModel(NicLockstepTest::emu, () -> dut.open(NicModule.BLOCK), waves,
                     200)) {
            MemorySegment mem = arena.allocate(MEM, 64);
            long badSa = 32 * 1024 + 5 * SA_BYTES;                   // reading SA slot 5 is a bus error
            NicDevice nic = new NicDevice(model, mem, new NicDevice.Timing(seed, 1 + r.nextInt(8), 1 + r.nextInt(4),
                    stall, stall, stall, stall), AxiMemory.Faults.none().failReads(badSa, badSa + SA_BYTES));
            NicDriver drv = new NicDriver(nic, mem, 0, WINDOW, 0, 4);
            drv.moderate(1 + r.nextInt(4), r.nextInt(200), r.nextInt(5), 1 + r.nextInt(200));
            drv.useSaTable(32 * 1024);
            byte[][] keys = {null, JdkGcm.bytes(r, 16), JdkGcm.bytes(r, 32)};
            drv.installSa(1, keys[1], false, 0x101);
            drv.installSa(2, keys[2], true, 0x202);
            drv.installSa(5, keys[1], false, 0x505);
            drv.enablePspRx(true);
            int frames = 30;
            List<byte[]> wantOut = new ArrayList<>();
            List<Integer> wantStatus = new ArrayList<>();
            List<long[]> jobs = new ArrayList<>();
            long at = 64 * 1024;
            for (int i = 0; i < frames; i++) {
                int len = 1 + r.nextInt(r.nextBoolean() ? 90 : 1600);
                at += r.nextInt(16);
                byte[] f = new byte[len];
                r.nextBytes(f);
                MemorySegment.copy(f, 0, mem, ValueLayout.JAVA_BYTE, at, len);
                int kind = r.nextInt(13);
                if (kind == 0) {                                     // beyond the window
                    jobs.add(new long[] {WINDOW - 8, 64, 0, 0, 0});
                    wantStatus.add(ST_BAD_ADDR);
                } else if (kind == 1) {                              // insert past the end
                    jobs.add(new long[] {at, len, 0, len - 1, FLAG_CSUM_INSERT});
                    wantStatus.add(ST_BAD_CSUM);
                } else if (kind >= 8) {                              // PSP: sealed, or refused
                    len = 16 + r.nextInt(r.nextBoolean() ? 90 : 1600);
                    int start = r.nextInt(Math.min(len - 16, 60) + 1);
                    f = PspFrames.frame(r, len, start);
                    MemorySegment.copy(f, 0, mem, ValueLayout.JAVA_BYTE, at, len);
                    if (kind == 10) {                                // slot 9 holds no SA
                        jobs.add(new long[] {at, len, start, 0, FLAG_PSP, 9});
                        wantStatus.add(ST_PSP_BAD);
                    } else if (kind == 11) {                         // AAD past the end: found in the header
                        mem.set(ValueLayout.JAVA_BYTE, at + start + 2, (byte) 63);
                        boolean past = start + 16 + 252 > len;
                        jobs.add(new long[] {at, len, start, 0, FLAG_PSP, 1});
                        if (past) {
                            wantStatus.add(ST_PSP_BAD);
                        } else {
                            f[start + 2] = 63;
                            wantOut.add(PspFrames.sealed(keys[1], f, start));
                            wantStatus.add(ST_OK);
                        }
                    } else if (kind == 12) {                         // the SA read is a bus error
                        jobs.add(new long[] {at, len, start, 0, FLAG_PSP, 5});
                        wantStatus.add(ST_MEM_ERROR);
                    } else {
                        int slot = kind - 7;
                        jobs.add(new long[] {at, len, start, 0, FLAG_PSP, slot});
                        wantOut.add(PspFrames.sealed(keys[slot], f, start));
                        wantStatus.add(ST_OK);
                    }
                } else if (kind < 5 && len >= 2) {
                    int start = r.nextInt(len - 1);
                    int insert = r.nextInt(len - 1);
                    boolean udp = r.nextBoolean();
                    jobs.add(new long[] {at, len, start, insert, FLAG_CSUM_INSERT | (udp ? FLAG_CSUM_UDP : 0)});
                    wantOut.add(Rfc1071.withWord(f, insert, Rfc1071.transmitted(Rfc1071.checksum(f, start, 0), udp)));
                    wantStatus.add(ST_OK);
                } else {
                    jobs.add(new long[] {at, len, 0, 0, 0});
                    wantOut.add(f);
                    wantStatus.add(ST_OK);
                }
                at += len + 64;
            }
            List<byte[]> wantIn = new ArrayList<>();
            List<byte[]> plainIn = new ArrayList<>();   // PSP frames: the frame before sealing
            List<Integer> wantInStatus = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                int kind = r.nextInt(10);
                byte[] f;
                byte[] plain = null;
                int st = ST_OK;
                if (kind < 5) {                              // PSP: opened, tag broken, no SA, SA read error
                    int slot = 1 + r.nextInt(2);
                    plain = PspFrames.udpPsp(r, r.nextInt(4), kind == 3 ? 0x309 : kind == 4 ? 0x505 : slot * 0x101,
                            r.nextInt(r.nextBoolean() ? 40 : 1500));
                    f = PspFrames.sealed(keys[slot], plain, 42);
                    if (kind == 2) {
                        f[50 + r.nextInt(f.length - 50)] ^= 1;        // IV, AAD, text or ICV (not the SPI)
                        st = ST_PSP_AUTH;
                    } else if (kind == 3) {
                        st = ST_PSP_NO_SA;
                    } else if (kind == 4) {
                        st = ST_MEM_ERROR;
                    }
                } else {
                    f = new byte[1 + r.nextInt(r.nextBoolean() ? 90 : 1600)];
                    r.nextBytes(f);
                }
                wantIn.add(f);
                plainIn.add(plain);
                wantInStatus.add(st);
                nic.wireIn().send(AxiFrame.of(f));
            }
            long rxBase = 512 * 1024;
            int posted = 0;
            int txDone = 0;
            int rxPosted = 0;
            int rxDone = 0;
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            while (txDone < frames || rxDone < frames) {
                while (posted < frames) {
                    long[] j = jobs.get(posted);
                    if (!drv.postTx(j[0], (int) j[1], (int) j[2], (int) j[3], (int) j[4], j.length > 5 ? (int) j[5] : 0,
                            posted)) {
                        break;
                    }
                    posted++;
                }
                drv.ringTx();
                while (drv.postRx(rxBase + 2048L * (rxPosted % 16), 2048, rxPosted % 16)) {
                    rxPosted++;
                }
                drv.ringRx();
                nic.cycle();
                if (drv.irq() && r.nextInt(8) == 0) {
                    nic.registers().postWrite(REG_IRQ_STATUS, r.nextInt(4)); // an acknowledge, posted
                }
                int n = drv.pollTx(cookies, cpl, 16);
                for (int k = 0; k < n; k++) {
                    assertThat(cplStatus(cpl[k])).as("seed %d tx %d", seed, txDone).isEqualTo(wantStatus.get(txDone));
                    txDone++;
                }
                n = drv.pollRx(cookies, cpl, 16);
                for (int k = 0; k < n; k++) {
                    byte[] f = wantIn.get(rxDone);
                    byte[] plain = plainIn.get(rxDone);
                    long buf = rxBase + 2048L * cookies[k];
                    assertThat(cplStatus(cpl[k])).as("seed %d rx %d", seed, rxDone).isEqualTo(wantInStatus.get(rxDone));
                    if (plain != null && cplStatus(cpl[k]) == ST_OK) {   // opened: headers, then the plaintext
                        int aadEnd = PspFrames.aadEnd(plain, 42);
                        int ptOff = cplCsum(cpl[k]);
                        assertThat(ptOff).isEqualTo(aadEnd + 7 & ~7);
                        assertThat(mem.asSlice(buf, aadEnd).toArray(ValueLayout.JAVA_BYTE))
                                .isEqualTo(java.util.Arrays.copyOf(plain, aadEnd));
                        assertThat(mem.asSlice(buf + ptOff, plain.length - aadEnd).toArray(ValueLayout.JAVA_BYTE))
                                .as("seed %d rx %d plaintext", seed, rxDone)
                                .isEqualTo(java.util.Arrays.copyOfRange(plain, aadEnd, plain.length));
                    } else {                                              // as received
                        assertThat(mem.asSlice(buf, f.length).toArray(ValueLayout.JAVA_BYTE))
                                .as("seed %d rx %d", seed, rxDone).isEqualTo(f);
                    }
                    if (plain == null && f.length >= 14) {
                        assertThat(cplCsum(cpl[k])).isEqualTo(Rfc1071.checksum(f, 14, 0));
                    }
                    rxDone++;
                }
                assertThat(nic.now()).as("seed %d: hung", seed).isLessThan(3_000_000);
            }
            nic.runUntil(() -> nic.wireOut().frames().size() == wantOut.size(), 100_000);
            List<AxiFrame> out = nic.wireOut().frames();
            for (int i = 0; i < wantOut.size(); i++) {
                assertThat(out.get(i).data()).as("seed %d frame out %d", seed, i).isEqualTo(wantOut.get(i));
            }
            assertThat(nic.read(REG_INTERRUPTS)).as("seed %d: raises", seed).isPositive();
            assertThat(nic.read(REG_TX_ERRORS)).isEqualTo(wantStatus.stream().filter(s -> s != ST_OK).count());
            nic.runUntil(() -> nic.read(REG_RXQ_HEAD) == frames, 10_000);
            long opened = java.util.stream.IntStream.range(0, frames)
                    .filter(i -> plainIn.get(i) != null && wantInStatus.get(i) == ST_OK).count();
            assertThat(opened).as("seed %d: PSP frames opened", seed).isPositive();
            assertThat(nic.read(REG_PSP_RX_OPENED)).isEqualTo(opened);
            assertThat(nic.read(REG_PSP_RX_AUTH_FAIL)).isEqualTo(wantInStatus.stream().filter(s -> s == ST_PSP_AUTH).count());
            assertThat(nic.read(REG_PSP_RX_ERRORS)).isEqualTo(failedOpens(plainIn, wantInStatus));
            long pspOk = java.util.stream.IntStream.range(0, frames)
                    .filter(i -> jobs.get(i).length > 5 && wantStatus.get(i) == ST_OK).count();
            System.out.printf("nic lockstep seed %d: tx statuses %s, rx statuses %s, %d PSP sealed, %d opened%n",
                    seed, wantStatus, wantInStatus, pspOk, opened);
            assertThat(pspOk).as("seed %d: PSP frames in the mix", seed).isPositive();
            assertThat(nic.read(REG_PSP_TX_SEALED)).isEqualTo(pspOk);
            assertThat(nic.read(REG_PSP_TX_ERRORS)).isEqualTo(jobs.stream().filter(j -> j.length > 5).count() - pspOk);
        }
    }

    /** PSP frames whose open failed other than by the tag (no SA, bus error). */
    private static long failedOpens(List<byte[]> plainIn, List<Integer> status) {
        return java.util.stream.IntStream.range(0, plainIn.size())
                .filter(i -> plainIn.get(i) != null && status.get(i) != ST_OK && status.get(i) != ST_PSP_AUTH).count();
    }
}
