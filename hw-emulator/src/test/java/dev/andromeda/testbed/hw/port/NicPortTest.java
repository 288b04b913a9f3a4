package dev.andromeda.testbed.hw.port;

import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.MemoryLink;
import dev.andromeda.testbed.fastpath.dataplane.PhysicalPort;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.hw.blocks.nic.NicModule;
import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host's physical port on the NIC model, over an in-memory link whose other end is a
 * plain port: every frame the host transmits through the NIC arrives byte for byte, and
 * every frame sent to it arrives in the host's pool; the pool gets every buffer back.
 */
class NicPortTest {

    private static void fill(HostBatch b, PacketPool pool, Random r, int n, List<byte[]> sent) {
        b.clear();
        for (int i = 0; i < n; i++) {
            int buffer = pool.allocate();
            byte[] f = new byte[14 + r.nextInt(r.nextBoolean() ? 100 : 3000)];
            r.nextBytes(f);
            long at = pool.frameOffset(buffer) + r.nextInt(8); // packets need not be aligned on TX
            MemorySegment.copy(f, 0, pool.memory(), ValueLayout.JAVA_BYTE, at, f.length);
            b.add(buffer, at, f.length, HostBatch.NO_CSUM, 0);
            sent.add(f);
        }
    }

    private static List<byte[]> drain(PhysicalPort port, PacketPool pool, int want, long seed) {
        List<byte[]> got = new ArrayList<>();
        HostBatch in = new HostBatch(128);
        for (int turn = 0; turn < 10_000 && got.size() < want; turn++) {
            in.clear();
            int n = port.receive(in, pool);
            for (int i = 0; i < n; i++) {
                got.add(pool.memory().asSlice(in.packets.offset[i], in.packets.length[i])
                        .toArray(ValueLayout.JAVA_BYTE));
                pool.free(in.packets.buffer[i]);
            }
        }
        assertThat(got).as("seed " + seed + ": frames received").hasSize(want);
        return got;
    }

    @ParameterizedTest(name = "seed {0}, interrupts {1}")
    @CsvSource({"3, true", "4, true", "3, false", "4, false"})
    void framesCrossTheNicBothWaysByteForByte(long seed, boolean interrupts) {
        crossBothWays(seed, interrupts);
    }

    /**
     * The same traffic with the port waiting on the interrupt and polling: the interrupt
     * reads the completion rings less (one pass per wake-up, not one per simulated cycle).
     */
    @Test
    void waitingOnTheInterruptReadsTheCompletionRingsLess() {
        Waits irq = crossBothWays(5, true);
        Waits poll = crossBothWays(5, false);
        int batches = 7; // 4 out, 3 in
        System.out.printf("nic port, 224 frames in %d batches: completion-ring reads %d polling"
                        + " (%.0f/batch), %d on the interrupt (%.0f/batch, %d raises)%n", batches,
                poll.reads(), poll.reads() / (double) batches, irq.reads(),
                irq.reads() / (double) batches, irq.raised());
        assertThat(irq.reads()).isLessThan(poll.reads() / 4);
        assertThat(irq.raised()).isPositive();
    }

    private record Waits(long reads, long raised) {
    }

    private Waits crossBothWays(long seed, boolean interrupts) {
        Random r = new Random(seed);
        try (PacketPool nicPool = new PacketPool(512, 4096 + PacketPool.HEADROOM);
             PacketPool farPool = new PacketPool(512, 4096 + PacketPool.HEADROOM);
             MemoryLink link = new MemoryLink(256, 4096)) {
            int free = nicPool.available();
            NicPort nic = new NicPort(new KitModel(new NicModule()), link.a(), nicPool, interrupts);
            PhysicalPort far = link.b();
            List<byte[]> sent = new ArrayList<>();
            HostBatch out = new HostBatch(32);
            for (int batch = 0; batch < 4; batch++) {       // 128 frames through a 64-slot ring
                fill(out, nicPool, r, 32, sent);
                assertThat(nic.transmit(out, nicPool)).as("seed " + seed).isEqualTo(32);
                assertThat(out.live()).isZero();
            }
            List<byte[]> arrived = drain(far, farPool, sent.size(), seed);
            for (int i = 0; i < sent.size(); i++) {
                assertThat(arrived.get(i)).as("seed " + seed + " frame " + i).isEqualTo(sent.get(i));
            }

            List<byte[]> back = new ArrayList<>();
            for (int batch = 0; batch < 3; batch++) {
                fill(out, farPool, r, 32, back);
                far.transmit(out, farPool);
            }
            List<byte[]> received = drain(nic, nicPool, back.size(), seed);
            for (int i = 0; i < back.size(); i++) {
                assertThat(received.get(i)).as("seed " + seed + " frame " + i).isEqualTo(back.get(i));
            }
            assertThat(nic.errors()).isZero();
            // Every TX buffer came back; the rings and the SA table hold some, the posted RX buffers the rest.
            assertThat(nicPool.available()).isEqualTo(free - nic.buffersHeld());
            int table = (256 * 64 + nicPool.bufferBytes() - 1) / nicPool.bufferBytes(); // the SA table's
            assertThat(nic.buffersHeld()).isBetween(1 + table, 1 + table + (1 << NicPort.LOG_RING));
            long raised = nic.interruptsRaised();
            assertThat(raised > 0).as("interrupts raised").isEqualTo(interrupts);
            return new Waits(nic.completionReads(), raised);
        }
    }

    @Test
    void aBackendWithoutANicModelIsUnavailableWithAReason() {
        assertThat(NicPort.unavailability("emu")).isNull();
        assertThat(NicPort.unavailability("no-such")).isNotNull();
    }
}
