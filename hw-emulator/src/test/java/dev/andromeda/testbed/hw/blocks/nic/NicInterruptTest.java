package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.kit.Reg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Completion moderation and the interrupt on the NIC's cycle model. Oracle: the rule as
 * the datasheet states it, over event times rather than registers ({@link Rule}): given the
 * cycles at which completions become visible (the head register moves), a raise happens at
 * the first cycle where the completions seen since the last raise reach the count, or where
 * the first of them is the timer's cycles old. Seeded random TX and RX traffic under random
 * stalls, random counts and timers; every cycle's raises are compared.
 */
class NicInterruptTest {
    private static final int MEM = 1 << 20;

    /** The moderation rule for one direction, fed one cycle at a time. */
    static final class Rule {
        private final int count;
        private final int timer;
        private int seen;          // completions visible since the last raise
        private long firstAt = -1; // the cycle the first of them became visible

        Rule(int count, int timer) {
            this.count = count;
            this.timer = timer;
        }

        /** Cycle {@code now}: true if it raises (from the completions visible up to it). */
        boolean cycle(long now) {
            boolean raise = seen > 0 && (count != 0 && seen >= count || timer != 0 && now - firstAt >= timer);
            if (raise) {
                seen = 0;
                firstAt = -1;
            }
            return raise;
        }

        /** {@code visible} completions became visible in cycle {@code now}. */
        void completions(long now, int visible) {
            if (visible > 0 && seen == 0) {
                firstAt = now;
            }
            seen += visible;
        }
    }

    private static Reg reg(KitModel m, String name) {
        return m.module().registers().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void raisesWhenTheCountOrTheTimerSaysSo(long seed) {
        Random r = new Random(seed);
        int txCount = r.nextInt(6);
        int txTimer = r.nextBoolean() ? 0 : 1 + r.nextInt(300);
        int rxCount = r.nextInt(6);
        int rxTimer = r.nextBoolean() ? 0 : 1 + r.nextInt(300);
        String note = "seed " + seed + " tx " + txCount + "/" + txTimer + " rx " + rxCount + "/" + rxTimer;
        double stall = r.nextBoolean() ? 0 : 0.3;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            KitModel model = new KitModel(new NicModule());
            NicDevice nic = new NicDevice(model, mem, new NicDevice.Timing(seed, 1 + r.nextInt(8), 1 + r.nextInt(4),
                    stall, stall, stall, stall));
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 4);
            drv.moderate(txCount, txTimer, rxCount, rxTimer);
            Reg txHead = reg(model, "txq_head");
            Reg rxHead = reg(model, "rxq_head");
            Reg raised = reg(model, "interrupts");
            Rule tx = new Rule(txCount, txTimer);
            Rule rx = new Rule(rxCount, rxTimer);
            int frames = 60;
            for (int i = 0; i < frames; i++) {
                byte[] f = new byte[14 + r.nextInt(r.nextBoolean() ? 60 : 600)];
                r.nextBytes(f);
                nic.wireIn().send(AxiFrame.of(f));
            }
            int[] cookies = new int[16];
            long[] cpl = new long[16];
            int txPosted = 0;
            int txDone = 0;
            int rxDone = 0;
            long lastTx = txHead.get();
            long lastRx = rxHead.get();
            long lastRaised = raised.get();
            int raises = 0;
            while (txDone < frames || rxDone < frames) {
                // Traffic in bursts with gaps, so the timers have work to do.
                if (r.nextInt(40) == 0) {
                    while (txPosted < frames && drv.postTx(256 * 1024 + 2048L * (txPosted % 16),
                            60 + r.nextInt(900), 0, 0, 0, txPosted)) {
                        txPosted++;
                    }
                    drv.ringTx();
                }
                if (r.nextInt(40) == 0) {
                    while (drv.postRx(512 * 1024 + 2048L * (rxDone % 16), 2048, 0)) {
                        // one buffer per slot
                    }
                    drv.ringRx();
                }
                long now = nic.now();
                nic.cycle();
                // Cycle `now` computed the raises and completions that show in the registers now.
                int fired = (int) (raised.get() - lastRaised);
                int want = (tx.cycle(now) ? 1 : 0) + (rx.cycle(now) ? 1 : 0);
                assertThat(fired).as("%s: raises in cycle %d", note, now).isEqualTo(want);
                raises += fired;
                int txNew = (int) ((txHead.get() - lastTx) & 0xFFFF);
                int rxNew = (int) ((rxHead.get() - lastRx) & 0xFFFF);
                tx.completions(now + 1, txNew);
                rx.completions(now + 1, rxNew);
                lastTx = txHead.get();
                lastRx = rxHead.get();
                lastRaised = raised.get();
                txDone += drv.pollTx(cookies, cpl, 16);
                rxDone += drv.pollRx(cookies, cpl, 16);
                assertThat(nic.now()).as("%s: hung", note).isLessThan(2_000_000);
            }
            assertThat(nic.read(REG_INTERRUPTS)).as(note).isEqualTo(raises);
            if (txCount == 1) {
                assertThat(raises).as(note).isGreaterThanOrEqualTo(frames);
            }
        }
    }

    @Test
    void theLineFollowsStatusAndMaskAndAWriteOfOneClears() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = new NicDevice(new KitModel(new NicModule()), mem, NicDevice.Timing.steady(4));
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 4);
            assertThat(drv.irq()).isFalse();
            drv.moderate(2, 0, 0, 0);                           // TX: every second completion
            assertThat(nic.read(REG_IRQ_MASK)).isEqualTo(IRQ_TX);
            drv.postTx(256 * 1024, 64, 0, 0, 0, 0);
            drv.ringTx();
            nic.runUntil(() -> drv.txReady() == 1, 10_000);
            for (int i = 0; i < 50; i++) {
                nic.cycle();
            }
            assertThat(drv.irq()).as("one completion of two").isFalse();
            drv.postTx(256 * 1024, 64, 0, 0, 0, 1);
            drv.ringTx();
            nic.runUntil(drv::irq, 10_000);
            assertThat(nic.read(REG_IRQ_STATUS)).isEqualTo(IRQ_TX);
            assertThat(nic.read(REG_INTERRUPTS)).isEqualTo(1);
            nic.write(REG_IRQ_MASK, 0);                         // masked: status stays, line drops
            nic.cycle();
            assertThat(drv.irq()).isFalse();
            assertThat(nic.read(REG_IRQ_STATUS)).isEqualTo(IRQ_TX);
            nic.write(REG_IRQ_MASK, IRQ_TX);
            nic.cycle();
            assertThat(drv.irq()).isTrue();
            drv.ackIrq(IRQ_RX);                                 // a 1 elsewhere clears nothing here
            assertThat(nic.read(REG_IRQ_STATUS)).isEqualTo(IRQ_TX);
            drv.ackIrq(IRQ_TX);
            nic.cycle();
            assertThat(drv.irq()).isFalse();
            assertThat(nic.read(REG_IRQ_STATUS)).isZero();
            // Timer only: one completion raises after 100 cycles, not before.
            assertThat(drv.pollTx(new int[4], new long[4], 4)).isEqualTo(2);
            drv.moderate(0, 100, 0, 0);
            drv.postTx(256 * 1024, 64, 0, 0, 0, 2);
            drv.ringTx();
            nic.runUntil(() -> drv.txReady() == 1, 10_000);
            long seen = nic.now();
            long waited = nic.runUntil(drv::irq, 10_000);
            assertThat(waited).isBetween(90L, 110L);
            assertThat(nic.now() - seen).isEqualTo(waited);
        }
    }

    @Test
    void resetStateRaisesNothing() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(MEM, 64);
            NicDevice nic = new NicDevice(new KitModel(new NicModule()), mem, NicDevice.Timing.steady(4));
            NicDriver drv = new NicDriver(nic, mem, 0, MEM, 0, 4);
            for (int i = 0; i < 10; i++) {
                drv.postTx(256 * 1024, 100, 0, 0, 0, i);
            }
            drv.ringTx();
            nic.runUntil(() -> drv.txReady() == 10, 100_000);
            assertThat(drv.irq()).isFalse();
            assertThat(nic.read(REG_INTERRUPTS)).isZero();
        }
    }
}
