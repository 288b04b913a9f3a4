package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code csum_offload}'s refusals, the same cases on every hardware backend ({@code emu},
 * {@code rtl-jni}, {@code rtl-ffm}), driven straight through {@link CsumOffloadDriver} so the
 * descriptor validation of the fast path does not hide them: packets longer than
 * MAX_PACKET_BYTES (some past 64 KiB, where 16-bit positions would wrap), tkeep holes, start and
 * insert offsets beyond the packet, and UDP/TCP checksums that compute to zero. The driver's
 * cycle limit fails a run that hangs; its protocol checkers fail a broken handshake.
 *
 * <p>Oracles, written apart from the block: the status each job must end with follows from its
 * length, its injected hole and its offsets alone; a job that succeeds must carry the
 * {@link Rfc1071} checksum (0 sent as 0xFFFF for UDP) and leave its packet with it inserted; a
 * refused job leaves its packet untouched; bytes between packets are never touched; err_count
 * equals the number of refusals.
 */
public abstract class ChecksumFaultContract {
    private static final int GUARD = 64;
    private static final int MAX = CsumOffloadModule.DEFAULT_MAX_PACKET_BYTES;

    /** The backend under test: emu, rtl-jni or rtl-ffm. */
    protected abstract String backend();

    private HardwareModel open() {
        return Backends.open(backend(), CsumOffloadModule.BLOCK);
    }

    /** The status the oracle expects of a job, from its own fields alone. */
    public static int expectedStatus(CsumOffloadDriver.Job j) {
        if (j.keepHole() >= 0 && j.length() > 0) {
            return CsumOffloadModule.STATUS_BAD_KEEP; // every hole job here is at most MAX bytes
        }
        if (j.length() > MAX) {
            return CsumOffloadModule.STATUS_TOO_LONG;
        }
        if (j.csumStart() > j.length() || (j.insert() && j.csumOffset() + 2 > j.length())) {
            return CsumOffloadModule.STATUS_BAD_OFFSET;
        }
        return CsumOffloadModule.STATUS_OK;
    }

    /** Packets and their jobs laid out GUARD bytes apart; random bytes everywhere. */
    public record Layout(MemorySegment memory, byte[] before, CsumOffloadDriver.Job[] jobs) {
    }

    public static Layout layout(Arena arena, Random r, int n) {
        int[] length = new int[n];
        int[] kind = new int[n];
        long total = GUARD;
        for (int i = 0; i < n; i++) {
            kind[i] = r.nextInt(8);
            length[i] = switch (kind[i]) {
                case 0 -> MAX + 1 + r.nextInt(r.nextBoolean() ? 16 : 70_000 - MAX); // too long, some past 64 KiB
                case 1 -> 1 + r.nextInt(r.nextBoolean() ? 40 : MAX);                // tkeep hole
                default -> r.nextInt(r.nextInt(4) == 0 ? MAX + 1 : 300);
            };
            total += length[i] + GUARD;
        }
        MemorySegment memory = arena.allocate(total, 64);
        byte[] before = new byte[(int) total];
        r.nextBytes(before);
        CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[n];
        long at = GUARD;
        for (int i = 0; i < n; i++) {
            int len = length[i];
            int start = r.nextInt(len + 1);
            int offset = len >= 2 ? r.nextInt(len - 1) : 0;
            boolean insert = len >= 2 && r.nextBoolean();
            boolean udp = r.nextBoolean();
            int hole = -1;
            int seed = r.nextInt(1 << 16);
            switch (kind[i]) {
                case 1 -> hole = r.nextInt((len + 7) / 8);
                case 2 -> start = len + 1 + r.nextInt(20);                    // start beyond the packet
                case 3 -> {                                                   // insert beyond the packet
                    insert = true;
                    offset = Math.max(0, len - 1) + r.nextInt(3);
                }
                case 4 -> {                                                   // sums to zero
                    if (len >= 4) {
                        start = 0;
                        insert = true;
                        offset = 0;
                        int fixAt = 2 + 2 * r.nextInt((len - 2) / 2); // even: word-aligned with start 0
                        before[(int) at + fixAt] = 0;
                        before[(int) at + fixAt + 1] = 0;
                        byte[] p = java.util.Arrays.copyOfRange(before, (int) at, (int) at + len);
                        int fix = Rfc1071.checksum(p, 0, seed);
                        before[(int) at + fixAt] = (byte) (fix >>> 8);
                        before[(int) at + fixAt + 1] = (byte) fix;
                    }
                }
                default -> {
                }
            }
            jobs[i] = new CsumOffloadDriver.Job(at, len, start, offset, insert, seed, udp, hole);
            at += len + GUARD;
        }
        MemorySegment.copy(before, 0, memory, ValueLayout.JAVA_BYTE, 0, before.length);
        return new Layout(memory, before, jobs);
    }

    /** Checks statuses, checksums, memory and err_count against the oracles. */
    public static void check(Layout l, CsumOffloadDriver.Result res, String what) {
        byte[] after = l.memory().toArray(ValueLayout.JAVA_BYTE);
        byte[] want = l.before().clone();
        int refused = 0;
        for (int i = 0; i < l.jobs().length; i++) {
            CsumOffloadDriver.Job j = l.jobs()[i];
            int status = expectedStatus(j);
            String job = what + ": job " + i + " " + j;
            assertThat(res.status()[i]).as(job).isEqualTo(status);
            if (status != CsumOffloadModule.STATUS_OK) {
                refused++;
                assertThat(res.csum()[i]).as(job + " refused: csum").isEqualTo(0);
                continue;
            }
            byte[] p = java.util.Arrays.copyOfRange(l.before(), (int) j.offset(), (int) j.offset() + j.length());
            int csum = Rfc1071.transmitted(Rfc1071.checksum(p, j.csumStart(), j.seed()), j.udp());
            assertThat(res.csum()[i]).as(job).isEqualTo(csum);
            if (j.insert()) {
                want[(int) j.offset() + j.csumOffset()] = (byte) (csum >>> 8);
                want[(int) j.offset() + j.csumOffset() + 1] = (byte) csum;
            }
        }
        for (int at = 0; at < after.length; at++) {
            if (after[at] != want[at]) {
                assertThat(after[at]).as("%s: byte %d of memory", what, at).isEqualTo(want[at]);
            }
        }
        assertThat(res.errCount()).as(what + ": err_count").isEqualTo(refused);
    }

    @ParameterizedTest(name = "seed {0}: stall {1}")
    @CsvSource({"161, 0.0", "162, 0.3", "163, 0.5", "164, 0.1"})
    void refusesWhatItCannotDoWithAStatusAndRunsTheNextPacket(long seed, double stall) {
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open()) {
            Layout l = layout(arena, r, 64);
            int refusals = 0;
            for (CsumOffloadDriver.Job j : l.jobs()) {
                refusals += expectedStatus(j) != CsumOffloadModule.STATUS_OK ? 1 : 0;
            }
            assertThat(refusals).as("seed %d: the test injects refusals", seed).isGreaterThan(10);
            CsumOffloadDriver.Result res = new CsumOffloadDriver(model).run(l.memory(), l.jobs(), seed, stall, stall);
            check(l, res, backend() + " seed " + seed);
        }
    }

    @Test
    void aPacketPast64KibIsRefusedAndTheBlockDoesNotHang() {
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open()) {
            MemorySegment memory = arena.allocate(200_000, 64);
            byte[] before = new byte[200_000];
            new Random(65537).nextBytes(before);
            MemorySegment.copy(before, 0, memory, ValueLayout.JAVA_BYTE, 0, before.length);
            CsumOffloadDriver.Job[] jobs = {
                    new CsumOffloadDriver.Job(0, 65536 + 100, 0, 0, true, 0),        // wraps a 16-bit position
                    new CsumOffloadDriver.Job(70_000, 1500, 14, 16, true, 0x1234),
                    new CsumOffloadDriver.Job(80_000, 100_000, 0, 0, false, 0),
                    new CsumOffloadDriver.Job(180_000, 64, 0, 2, true, 0, true, -1),
            };
            CsumOffloadDriver.Result res = new CsumOffloadDriver(model).run(memory, jobs, 65537, 0.1, 0.1);
            check(new Layout(memory, before, jobs), res, backend() + " past 64 KiB");
            assertThat(res.status()).containsExactly(CsumOffloadModule.STATUS_TOO_LONG, CsumOffloadModule.STATUS_OK,
                    CsumOffloadModule.STATUS_TOO_LONG, CsumOffloadModule.STATUS_OK);
        }
    }

    @Test
    void aTkeepHoleIsRefusedWhereverItFalls() {
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open()) {
            MemorySegment memory = arena.allocate(8192, 64);
            byte[] before = new byte[8192];
            new Random(8).nextBytes(before);
            MemorySegment.copy(before, 0, memory, ValueLayout.JAVA_BYTE, 0, before.length);
            CsumOffloadDriver.Job[] jobs = {
                    new CsumOffloadDriver.Job(0, 64, 0, 10, true, 0, false, 0),      // first beat
                    new CsumOffloadDriver.Job(100, 64, 0, 10, true, 0, false, 3),    // middle beat
                    new CsumOffloadDriver.Job(200, 61, 0, 10, true, 0, false, 7),    // partial last beat
                    new CsumOffloadDriver.Job(300, 57, 0, 10, true, 0, false, 7),    // 1-byte last beat: empty
                    new CsumOffloadDriver.Job(400, 64, 0, 10, true, 0, false, 7),    // full last beat
                    new CsumOffloadDriver.Job(500, 64, 0, 10, true, 0, false, -1),   // and the next is fine
            };
            CsumOffloadDriver.Result res = new CsumOffloadDriver(model).run(memory, jobs, 8, 0, 0);
            check(new Layout(memory, before, jobs), res, backend() + " tkeep holes");
            assertThat(res.errCount()).isEqualTo(5);
        }
    }
}
