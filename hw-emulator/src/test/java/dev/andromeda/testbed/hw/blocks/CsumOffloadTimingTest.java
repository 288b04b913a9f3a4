package dev.andromeda.testbed.hw.blocks;

import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The datasheet's timing claims, in clock cycles (deterministic, not wall
 * time): one beat a cycle sustained on back-to-back packets of every size,
 * and store-and-forward latency of the packet's beats plus a fixed few. Run on
 * the Java model; the lockstep test shows the RTL matches it cycle for cycle.
 */
class CsumOffloadTimingTest {

    @ParameterizedTest(name = "{0}-byte packets")
    @ValueSource(ints = {64, 65, 512, 1500, 9000, 9216})
    void sustainsOneBeatPerCycleOnBackToBackPackets(int size) {
        int packets = 64;
        int beats = (size + 7) / 8;
        try (Arena arena = Arena.ofConfined(); KitModel model = new KitModel(new CsumOffloadModule())) {
            model.reset(4);
            MemorySegment memory = arena.allocate((long) packets * size);
            CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[packets];
            for (int i = 0; i < packets; i++) {
                jobs[i] = new CsumOffloadDriver.Job((long) i * size, size, 14, 16, true, 0);
            }
            CsumOffloadDriver.Result r = new CsumOffloadDriver(model).run(memory, jobs, 1, 0, 0);
            long total = (long) packets * beats;
            long overhead = r.cycles() - total;
            System.out.printf("csum_offload %5d-byte packets: %d beats in %d cycles (%.4f beats/cycle); "
                            + "lone packet: first beat in -> first beat out %d cycles, -> checksum out %d cycles%n",
                    size, total, r.cycles(), (double) total / r.cycles(), r.firstBeatOutCycles()[0],
                    r.latencyCycles()[0]);
            // Store-and-forward: the last packet leaves after it has all arrived, so one packet of
            // drain time plus the pipeline's few cycles is the only overhead on top of one beat a cycle.
            assertThat(overhead).as("cycles beyond one beat per cycle").isLessThanOrEqualTo(beats + 9);
            // A lone packet: one cycle for its command to land in the command FIFO (s_axis_tready
            // needs one), n beats in, then seven cycles before its first beat leaves: five
            // pipeline stages after the last beat's acceptance (offsets, buffer write, accumulate,
            // two folds) put its result in the info FIFO, one cycle there, one in the output
            // register. Its checksum leaves with its last beat, n - 1 cycles later.
            assertThat(r.firstBeatOutCycles()[0]).as("first beat in to first beat out").isEqualTo(beats + 8L);
            assertThat(r.latencyCycles()[0]).as("first beat in to checksum out").isEqualTo(2L * beats + 7);
        }
    }
}
