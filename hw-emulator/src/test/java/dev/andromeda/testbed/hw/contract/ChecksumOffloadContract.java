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

    /**
     * A packet whose words sum to 0xFFFF, so its checksum computes to 0x0000: the word at
     * fixAt (even, so word-aligned with start 0) is set to the RFC 1071 checksum of the packet with that word zero (the property
     * a receiver checks), and the insert lands elsewhere.
     */
    private static byte[] summingToZero(Random r, int length, int start, int fixAt, int seed) {
        byte[] data = new byte[length];
        r.nextBytes(data);
        data[fixAt] = 0;
        data[fixAt + 1] = 0;
        int fix = Rfc1071.checksum(data, start, seed);
        byte[] out = Rfc1071.withWord(data, fixAt, fix);
        assertThat(Rfc1071.checksum(out, start, seed)).as("the packet is built to checksum to 0").isEqualTo(0);
        return out;
    }

    @ParameterizedTest(name = "udp {0}")
    @ValueSource(booleans = {true, false})
    void aUdpChecksumOfZeroIsSentAsFfffAndATcpOneStaysZero(boolean udp) {
        long seed = 768;
        Random r = new Random(seed);
        MemorySegment memory = arena.allocate(8 * 2048, 64);
        int[] lengths = {20, 21, 64, 1500, 11, 300};
        byte[][] packets = new byte[lengths.length][];
        try (ChecksumOffload stage = open(OffloadOptions.defaults().withTraffic(seed, 0.2, 0.2));
             ChecksumBatch batch = new ChecksumBatch(lengths.length, memory)) {
            for (int i = 0; i < lengths.length; i++) {
                int len = lengths[i];
                // Even jobs checksum to 0; odd ones are random (the flag must change nothing there).
                packets[i] = i % 2 == 0 ? summingToZero(r, len, 0, (len - 2) & ~1, 0x1111 * i)
                        : ChecksumCase.random("random", r, len).data();
                MemorySegment.copy(packets[i], 0, memory, ValueLayout.JAVA_BYTE, 2048L * i, len);
                batch.add(2048L * i, len, 0, 6, 0x1111 * i, udp);
            }
            stage.process(batch);
            for (int i = 0; i < lengths.length; i++) {
                String what = implementation() + " seed " + seed + " udp " + udp + " job " + i;
                int want = Rfc1071.transmitted(Rfc1071.checksum(packets[i], 0, 0x1111 * i), udp);
                if (i % 2 == 0) {
                    assertThat(want).as(what).isEqualTo(udp ? 0xFFFF : 0);
                }
                assertThat(batch.status(i)).as(what).isEqualTo(ChecksumBatch.STATUS_DONE);
                assertThat(batch.csum(i)).as(what).isEqualTo(want);
                assertThat(memory.asSlice(2048L * i, lengths[i]).toArray(ValueLayout.JAVA_BYTE)).as(what)
                        .isEqualTo(Rfc1071.withWord(packets[i], 6, want));
            }
        }
    }

    @Test
    void rejectsTooLongPacketsAndRunsTheNextOne() {
        MemorySegment memory = arena.allocate(3 * 16384, 64);
        byte[] good = new byte[1500];
        new Random(9217).nextBytes(good);
        MemorySegment.copy(good, 0, memory, ValueLayout.JAVA_BYTE, 16384, good.length);
        MemorySegment.copy(good, 0, memory, ValueLayout.JAVA_BYTE, 32768, good.length);
        try (ChecksumOffload stage = open(OffloadOptions.defaults());
             ChecksumBatch batch = new ChecksumBatch(4, memory)) {
            batch.add(0, ChecksumBatch.MAX_LENGTH + 1, 0, 16, 0);
            batch.add(16384, 1500, 14, 40, 0x4321);
            batch.add(0, 16000, 0, -1, 0);
            batch.add(32768, 1500, 3, 8, 7, true);
            stage.process(batch);
            assertThat(batch.status(0)).isEqualTo(ChecksumBatch.STATUS_REJECTED);
            assertThat(batch.status(2)).isEqualTo(ChecksumBatch.STATUS_REJECTED);
            assertThat(batch.status(1)).isEqualTo(ChecksumBatch.STATUS_DONE);
            assertThat(batch.csum(1)).isEqualTo(Rfc1071.checksum(good, 14, 0x4321));
            assertThat(memory.asSlice(16384, 1500).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(Rfc1071.inserted(good, 14, 40, 0x4321));
            int udp = Rfc1071.transmitted(Rfc1071.checksum(good, 3, 7), true);
            assertThat(batch.csum(3)).isEqualTo(udp);
            assertThat(memory.asSlice(32768, 1500).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(Rfc1071.withWord(good, 8, udp));
            assertThat(stage.counters().rejected()).isEqualTo(2);
            assertThat(stage.counters().jobs()).isEqualTo(2);
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
