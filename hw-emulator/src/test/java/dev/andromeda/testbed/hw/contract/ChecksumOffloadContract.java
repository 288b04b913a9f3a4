package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checksum stage's contract, one test for every implementation
 * ({@code sw}, {@code emu}, {@code rtl-jni}, {@code rtl-ffm}): each subclass
 * names one. Every result is checked against {@link Rfc1071}, an independent
 * transcription of RFC 1071, never against another implementation.
 *
 * <p>An RTL implementation that cannot load fails under {@code CI=true} or
 * {@code -Dtb.rtl.required=true} (as {@code ./tb test} runs), and is skipped,
 * with the cause, only in a plain developer build.
 */
public abstract class ChecksumOffloadContract {
    private Arena arena;

    /** The implementation under test. */
    protected abstract String implementation();

    @BeforeEach
    void checkAvailable() {
        Backends.requireChecksum(implementation());
        arena = Arena.ofConfined();
    }

    @AfterEach
    void release() {
        if (arena != null) {
            arena.close();
        }
    }

    private ChecksumOffload open(OffloadOptions options) {
        return Offloads.openChecksum(implementation(), options);
    }

    /** Runs the cases as one batch and checks every checksum and every byte against RFC 1071. */
    private void runAndCheck(ChecksumOffload stage, List<ChecksumCase> cases, long seed) {
        long total = 0;
        for (ChecksumCase c : cases) {
            total += c.data().length + 16;
        }
        MemorySegment memory = arena.allocate(Math.max(total, 1), 64);
        try (ChecksumBatch batch = new ChecksumBatch(cases.size(), memory)) {
            long at = 3; // packets at odd, unaligned offsets, as in a real buffer pool
            long[] offsets = new long[cases.size()];
            for (int i = 0; i < cases.size(); i++) {
                ChecksumCase c = cases.get(i);
                MemorySegment.copy(c.data(), 0, memory, ValueLayout.JAVA_BYTE, at, c.data().length);
                offsets[i] = at;
                batch.add(at, c.data().length, c.start(), c.insert(), c.seed());
                at += c.data().length + 16;
            }
            stage.process(batch);
            for (int i = 0; i < cases.size(); i++) {
                ChecksumCase c = cases.get(i);
                String what = implementation() + " seed " + seed + " job " + i + " " + c;
                assertThat(batch.status(i)).as(what).isEqualTo(ChecksumBatch.STATUS_DONE);
                assertThat(batch.csum(i)).as(what).isEqualTo(Rfc1071.checksum(c.data(), c.start(), c.seed()));
                byte[] got = memory.asSlice(offsets[i], c.data().length).toArray(ValueLayout.JAVA_BYTE);
                assertThat(got).as(what).isEqualTo(Rfc1071.inserted(c.data(), c.start(), c.insert(), c.seed()));
            }
        }
    }

    @Test
    void matchesRfc1071OnEveryContractCase() {
        try (ChecksumOffload stage = open(OffloadOptions.defaults())) {
            runAndCheck(stage, ChecksumCase.contractCases(20261126L), 20261126L);
            assertThat(stage.counters().jobs()).isEqualTo(ChecksumCase.contractCases(20261126L).size());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 0x5EED})
    void matchesRfc1071OnRandomJobsUnderIdleCyclesAndBackPressure(long seed) {
        Random r = new Random(seed);
        List<ChecksumCase> cases = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            cases.add(ChecksumCase.random("random", r, r.nextInt(4) == 0 ? r.nextInt(9217) : r.nextInt(200)));
        }
        try (ChecksumOffload stage = open(OffloadOptions.defaults().withTraffic(seed, 0.3, 0.4))) {
            runAndCheck(stage, cases, seed);
        }
    }

    @Test
    void keepsStateAcrossBatchesOnOneInstance() {
        Random r = new Random(42);
        try (ChecksumOffload stage = open(OffloadOptions.defaults().withTraffic(42, 0.1, 0.1))) {
            for (int b = 0; b < 5; b++) {
                List<ChecksumCase> cases = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    cases.add(ChecksumCase.random("batch" + b, r, r.nextInt(1600)));
                }
                runAndCheck(stage, cases, 42);
            }
            assertThat(stage.counters().jobs()).isEqualTo(100);
        }
    }

    @Test
    void rejectsInvalidDescriptorsAndProcessesTheRest() {
        MemorySegment memory = arena.allocate(4096, 64);
        byte[] good = new byte[100];
        new Random(7).nextBytes(good);
        MemorySegment.copy(good, 0, memory, ValueLayout.JAVA_BYTE, 0, good.length);
        try (ChecksumOffload stage = open(OffloadOptions.defaults());
             ChecksumBatch batch = new ChecksumBatch(8, memory)) {
            batch.add(0, 100, 101, -1, 0);          // start beyond the packet
            batch.add(0, 100, 14, 99, 0);           // insert runs past the end
            batch.add(4000, 200, 0, -1, 0);         // buffer outside host memory
            int ok = batch.add(0, 100, 14, 40, 0x1234);
            stage.process(batch);
            assertThat(batch.status(0)).isEqualTo(ChecksumBatch.STATUS_REJECTED);
            assertThat(batch.status(1)).isEqualTo(ChecksumBatch.STATUS_REJECTED);
            assertThat(batch.status(2)).isEqualTo(ChecksumBatch.STATUS_REJECTED);
            assertThat(batch.status(ok)).isEqualTo(ChecksumBatch.STATUS_DONE);
            assertThat(batch.csum(ok)).isEqualTo(Rfc1071.checksum(good, 14, 0x1234));
            assertThat(memory.asSlice(0, 100).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(Rfc1071.inserted(good, 14, 40, 0x1234));
            assertThat(stage.counters().rejected()).isEqualTo(3);
            assertThat(stage.counters().jobs()).isEqualTo(1);
        }
    }
}
