package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The datasheet's cycle figures (rtl/nic/README.md), measured on the cycle model with a
 * memory of latency 4, 4 reads in flight, no stalls: TX latency from the doorbell's
 * response to the frame's first beat on the wire, and cycles per frame back to back, TX
 * and RX. Cycles are the model's, not time: deterministic, so they are checked here.
 */
class NicTimingTest {
    private static final int MEM = 1 << 20;

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {64, 1500, 9000})
    void txLatencyAndBackToBackCyclesMatchTheDatasheet(int len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = new NicDevice(new KitModel(new NicModule()), mem, NicDevice.Timing.steady(4));
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 6);
            int frames = 32;
            for (int i = 0; i < frames; i++) {
                assertThat(drv.postTx(65536 + (long) i * 9216, len, 0, 0, 0, i)).isTrue();
            }
            drv.ringTx();
            nic.runUntil(() -> nic.registers().idle(), 100);
            long rung = nic.now();
            nic.runUntil(() -> nic.wireOut().beatsReceived() > 0, 100_000);
            long latency = nic.now() - rung;
            nic.runUntil(() -> drv.txReady() == frames, 10_000_000);
            long total = nic.now() - rung;
            double perFrame = (double) total / frames;
            System.out.printf("nic tx %5d B: first beat %d cycles after the doorbell, %.1f cycles/frame"
                    + " back to back (%.2f bytes/cycle)%n", len, latency, perFrame, len / perFrame);
            int beats = (len + 7) / 8;
            // The checksum block stores and forwards: the frame is read whole before it leaves.
            assertThat(latency).isLessThan(beats + 40L);
            assertThat(perFrame).isLessThan(2.0 * beats + 40);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {64, 1500, 9000})
    void rxCyclesPerFrameMatchTheDatasheet(int len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = new NicDevice(new KitModel(new NicModule()), mem, NicDevice.Timing.steady(4));
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 6);
            int frames = 32;
            for (int i = 0; i < frames; i++) {
                assertThat(drv.postRx(65536 + (long) i * 9216, 9216, i)).isTrue();
                nic.wireIn().send(AxiFrame.of(new byte[len]));
            }
            drv.ringRx();
            nic.runUntil(() -> nic.registers().idle(), 100);
            long rung = nic.now();
            nic.runUntil(() -> drv.rxReady() == frames, 10_000_000);
            double perFrame = (double) (nic.now() - rung) / frames;
            System.out.printf("nic rx %5d B: %.1f cycles/frame back to back (%.2f bytes/cycle)%n", len, perFrame,
                    len / perFrame);
            int beats = (len + 7) / 8;
            assertThat(perFrame).isLessThan(2.0 * beats + 40);
        }
    }

    /**
     * PSP seal, AES-128, the PSP header at 42 (Ethernet, IPv4, UDP), crypt offset 0: the
     * frame is read as segments (header, SA entry, headers, AAD, text), each a memory round
     * trip, and streamed through the GCM block; the wire carries len + 16 bytes.
     */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {64, 1500, 9000})
    void pspTxLatencyAndBackToBackCyclesMatchTheDatasheet(int len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = new NicDevice(new KitModel(new NicModule()), mem, NicDevice.Timing.steady(4));
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 6);
            drv.useSaTable(32 * 1024);
            drv.installSa(0, new byte[16], false, 1);
            int frames = 32;
            for (int i = 0; i < frames; i++) {
                long at = 65536 + (long) i * 9216;
                mem.set(ValueLayout.JAVA_BYTE, at + 42 + 2, (byte) 0); // crypt offset 0
                assertThat(drv.postTx(at, len, 42, 0, FLAG_PSP, 0, i)).isTrue();
            }
            drv.ringTx();
            nic.runUntil(() -> nic.registers().idle(), 100);
            long rung = nic.now();
            nic.runUntil(() -> nic.wireOut().beatsReceived() > 0, 100_000);
            long latency = nic.now() - rung;
            nic.runUntil(() -> drv.txReady() == frames, 10_000_000);
            long total = nic.now() - rung;
            double perFrame = (double) total / frames;
            System.out.printf("nic psp tx %5d B: first beat %d cycles after the doorbell, %.1f cycles/frame"
                    + " back to back (%.2f bytes/cycle)%n", len, latency, perFrame, len / perFrame);
            int beats = (len + 7) / 8;
            assertThat(latency).isLessThan(200L);        // cut-through: the headers leave before the text is read
            assertThat(perFrame).isLessThan(1.5 * beats + 200);
            nic.runUntil(() -> nic.read(REG_TXQ_HEAD) == frames, 10_000); // counters move with the head
            assertThat(nic.read(REG_PSP_TX_SEALED)).isEqualTo(frames);
        }
    }

    /**
     * PSP open, AES-128, crypt offset 0: the frame is written to the buffer as it arrives,
     * then read back (header, SA entry, AAD, text, ICV) through the GCM block, which holds
     * the plaintext until the tag is checked; then the plaintext is written.
     */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {128, 1500, 9000})
    void pspRxCyclesPerFrameMatchTheDatasheet(int len) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = new NicDevice(new KitModel(new NicModule()), mem, NicDevice.Timing.steady(4));
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 6);
            drv.useSaTable(32 * 1024);
            byte[] key = new byte[16];
            drv.installSa(1, key, false, 1);
            drv.enablePspRx(true);
            int textLen = len - 42 - 16 - 16;
            byte[] w = dev.andromeda.testbed.hw.contract.PspFrames.sealed(key,
                    dev.andromeda.testbed.hw.contract.PspFrames.udpPsp(new java.util.Random(len), 0, 1, textLen), 42);
            int frames = 32;
            for (int i = 0; i < frames; i++) {
                assertThat(drv.postRx(65536 + (long) i * 9216, 9216, i)).isTrue();
                nic.wireIn().send(AxiFrame.of(w));
            }
            drv.ringRx();
            nic.runUntil(() -> nic.registers().idle(), 100);
            long rung = nic.now();
            nic.runUntil(() -> drv.rxReady() == frames, 10_000_000);
            double perFrame = (double) (nic.now() - rung) / frames;
            System.out.printf("nic psp rx %5d B: %.1f cycles/frame back to back (%.2f bytes/cycle)%n", len, perFrame,
                    len / perFrame);
            int beats = (len + 7) / 8;
            assertThat(perFrame).isLessThan(4.0 * beats + 200);
            nic.runUntil(() -> nic.read(REG_RXQ_HEAD) == frames, 10_000);
            assertThat(nic.read(REG_PSP_RX_OPENED)).isEqualTo(frames);
        }
    }

    /** Cycles from the doorbell to the last of 32 TX completions, every descriptor with {@code flags}. */
    private static long txCycles(int len, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = new NicDevice(new KitModel(new NicModule()), mem, NicDevice.Timing.steady(4));
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 6);
            for (int i = 0; i < 32; i++) {
                assertThat(drv.postTx(65536 + (long) i * 9216 + i % 8, len, 14, 40, flags, i)).isTrue();
            }
            drv.ringTx();
            long rung = nic.now();
            nic.runUntil(() -> drv.txReady() == 32, 10_000_000);
            return nic.now() - rung;
        }
    }

    /**
     * What checksum=nic costs the NIC: nothing. Every TX frame goes through the checksum block
     * (store and forward) whatever its flags; CSUM_INSERT only writes the sum into it.
     */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {64, 1500, 9000})
    void insertingTheChecksumAddsNoCycles(int len) {
        long plain = txCycles(len, 0);
        assertThat(txCycles(len, FLAG_CSUM_INSERT)).isEqualTo(plain);
        assertThat(txCycles(len, FLAG_CSUM_INSERT | FLAG_CSUM_UDP)).isEqualTo(plain);
    }
}
