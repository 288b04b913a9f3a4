package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More than 100,000 beats through {@code csum_offload} on one backend under
 * random idle cycles and back-pressure, with the protocol checkers on every
 * channel: no beat lost, none duplicated, every packet and checksum right.
 */
public abstract class BackPressureContract {

    protected abstract String backend();

    @ParameterizedTest(name = "seed {0}, idle {1}, back-pressure {2}")
    @CsvSource({"11, 0.3, 0.5", "12, 0.0, 0.9", "13, 0.7, 0.0"})
    void losesAndDuplicatesNoBeatUnderRandomStalls(long seed, double idle, double backpressure) {
        Random r = new Random(seed);
        int jobsCount = 230;
        CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[jobsCount];
        ChecksumCase[] cases = new ChecksumCase[jobsCount];
        long expectedBeats = 0;
        try (Arena arena = Arena.ofConfined();
             HardwareModel model = Backends.open(backend(), CsumOffloadModule.BLOCK)) {
            MemorySegment memory = arena.allocate((long) jobsCount * 9216, 64);
            for (int i = 0; i < jobsCount; i++) {
                ChecksumCase c = ChecksumCase.random("bp", r, r.nextInt(9217));
                cases[i] = c;
                long at = (long) i * 9216;
                MemorySegment.copy(c.data(), 0, memory, ValueLayout.JAVA_BYTE, at, c.data().length);
                jobs[i] = new CsumOffloadDriver.Job(at, c.data().length, c.start(), Math.max(0, c.insert()),
                        c.insert() >= 0, c.seed());
                expectedBeats += Math.max(1, (c.data().length + 7) / 8);
            }
            assertThat(expectedBeats).isGreaterThan(100_000);
            CsumOffloadDriver.Result res = new CsumOffloadDriver(model).run(memory, jobs, seed, idle, backpressure);
            assertThat(res.beatsIn()).as("beats in, seed %d", seed).isEqualTo(expectedBeats);
            assertThat(res.beatsOut()).as("beats out, seed %d", seed).isEqualTo(expectedBeats);
            for (int i = 0; i < jobsCount; i++) {
                ChecksumCase c = cases[i];
                String what = backend() + " seed " + seed + " job " + i + " " + c;
                assertThat(res.csum()[i]).as(what).isEqualTo(Rfc1071.checksum(c.data(), c.start(), c.seed()));
                assertThat(memory.asSlice((long) i * 9216, c.data().length).toArray(ValueLayout.JAVA_BYTE)).as(what)
                        .isEqualTo(Rfc1071.inserted(c.data(), c.start(), c.insert(), c.seed()));
            }
        }
    }
}
