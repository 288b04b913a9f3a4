package dev.andromeda.testbed.control.agent;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointsTest {
    @TempDir
    Path dir;

    private Checkpoints twoWritten() throws IOException {
        Checkpoints c = new Checkpoints(dir);
        c.write(Programs.forA(1, 1));
        c.write(Programs.rich(2, 1));
        return c;
    }

    @Test
    void aWrittenProgramIsRestoredExactly() throws Exception {
        new Checkpoints(dir).write(Programs.rich(42, 9));
        Checkpoints fresh = new Checkpoints(dir);
        RestoreReport r = fresh.restore();
        assertThat(r.program()).isEqualTo(Programs.rich(42, 9));
        assertThat(r.source()).isEqualTo(dir.resolve(Checkpoints.CURRENT));
        assertThat(r.problems()).isEmpty();
        assertThat(fresh.badCheckpoints()).isZero();
    }

    @Test
    void aLargeProgramRoundTrips() throws Exception {
        Random rnd = new Random(11);
        FlowProgram.Builder b = Programs.toPeer(3, 3, Programs.VM_A, Programs.VM_B, 1);
        for (int i = 0; i < 20_000; i++) {
            b.flow(rnd.nextInt(1 << 24), 17, rnd.nextInt(), i, 2 << 24 | rnd.nextInt(2),
                    FirewallPolicy.ALLOW_ALL);
        }
        FlowProgram p = b.build();
        new Checkpoints(dir).write(p);
        assertThat(new Checkpoints(dir).restore().program()).isEqualTo(p);
    }

    @Test
    void noCheckpointMeansAnEmptyStartWithNothingReported() throws Exception {
        RestoreReport r = new Checkpoints(dir).restore();
        assertThat(r.restored()).isFalse();
        assertThat(r.program()).isEqualTo(FlowProgram.EMPTY);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void eachWriteKeepsTheOneBeforeAsThePreviousCheckpointAndLeavesNoTempFile() throws Exception {
        twoWritten().write(Programs.forA(3, 1));
        assertThat(Checkpoints.parse(Files.readAllBytes(dir.resolve(Checkpoints.PREVIOUS))).version()).isEqualTo(2);
        assertThat(Checkpoints.parse(Files.readAllBytes(dir.resolve(Checkpoints.CURRENT))).version()).isEqualTo(3);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(Checkpoints.CURRENT, Checkpoints.PREVIOUS);
        }
    }

    @ParameterizedTest(name = "byte {0} flipped")
    @ValueSource(ints = {0, 5, 9, 13, 16, 30, -1})
    void aFlippedByteIsDetectedAndThePreviousGoodCheckpointIsUsed(int at) throws Exception {
        twoWritten();
        Path current = dir.resolve(Checkpoints.CURRENT);
        byte[] bytes = Files.readAllBytes(current);
        int i = at < 0 ? bytes.length - 1 : at;
        bytes[i] ^= 0x10;
        Files.write(current, bytes);

        Checkpoints c = new Checkpoints(dir);
        RestoreReport r = c.restore();

        assertThat(r.program()).isEqualTo(Programs.forA(1, 1));
        assertThat(r.source()).isEqualTo(dir.resolve(Checkpoints.PREVIOUS));
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(current);
            assertThat(p.kind()).isIn(RestoreReport.Kind.CORRUPT, RestoreReport.Kind.TRUNCATED,
                    RestoreReport.Kind.UNSUPPORTED_FORMAT);
        });
        assertThat(c.badCheckpoints()).isEqualTo(1);
    }

    @Test
    void aFlippedBodyByteIsReportedAsACrcMismatch() throws Exception {
        twoWritten();
        Path current = dir.resolve(Checkpoints.CURRENT);
        byte[] bytes = Files.readAllBytes(current);
        bytes[40] ^= 1;
        Files.write(current, bytes);
        RestoreReport.Problem p = new Checkpoints(dir).restore().problems().getFirst();
        assertThat(p.kind()).isEqualTo(RestoreReport.Kind.CORRUPT);
        assertThat(p.message()).contains("CRC32C");
        assertThat(p.toString()).startsWith("state.ckpt: CORRUPT: CRC32C mismatch");
    }

    @ParameterizedTest(name = "cut to {0} bytes")
    @ValueSource(ints = {0, 3, 15, 16, 17, 60})
    void aTruncatedCheckpointIsDetectedAndThePreviousGoodOneIsUsed(int keep) throws Exception {
        twoWritten();
        Path current = dir.resolve(Checkpoints.CURRENT);
        byte[] bytes = Files.readAllBytes(current);
        Files.write(current, Arrays.copyOf(bytes, keep));

        RestoreReport r = new Checkpoints(dir).restore();

        assertThat(r.program()).isEqualTo(Programs.forA(1, 1));
        assertThat(r.problems()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(RestoreReport.Kind.TRUNCATED));
    }

    @Test
    void withBothCheckpointsDamagedTheHostStartsEmptyAndReportsBoth() throws Exception {
        twoWritten();
        for (String name : new String[] {Checkpoints.CURRENT, Checkpoints.PREVIOUS}) {
            Path f = dir.resolve(name);
            byte[] b = Files.readAllBytes(f);
            Files.write(f, Arrays.copyOf(b, b.length - 1));
        }
        Checkpoints c = new Checkpoints(dir);
        RestoreReport r = c.restore();
        assertThat(r.restored()).isFalse();
        assertThat(r.program()).isEqualTo(FlowProgram.EMPTY);
        assertThat(r.problems()).hasSize(2);
        assertThat(c.badCheckpoints()).isEqualTo(2);
    }

    @Test
    void aCrashBetweenTheTwoRenamesLeavesThePreviousCheckpointToRestore() throws Exception {
        twoWritten();
        Files.delete(dir.resolve(Checkpoints.CURRENT));
        Files.write(dir.resolve(Checkpoints.TEMP), new byte[] {1, 2, 3}); // a half-written temp file
        RestoreReport r = new Checkpoints(dir).restore();
        assertThat(r.program()).isEqualTo(Programs.forA(1, 1));
        assertThat(r.problems()).isEmpty();
        assertThat(dir.resolve(Checkpoints.TEMP)).doesNotExist();
    }

    @Test
    void aDamagedCurrentCheckpointNeverReplacesTheGoodPreviousOne() throws Exception {
        twoWritten();
        Path current = dir.resolve(Checkpoints.CURRENT);
        Files.write(current, new byte[] {9, 9, 9});
        Checkpoints c = new Checkpoints(dir);
        assertThat(c.restore().program().version()).isEqualTo(1);
        c.write(Programs.forA(3, 1)); // the damaged file is dropped, not rotated into PREVIOUS
        assertThat(Checkpoints.parse(Files.readAllBytes(dir.resolve(Checkpoints.PREVIOUS))).version()).isEqualTo(1);
        assertThat(Checkpoints.parse(Files.readAllBytes(current)).version()).isEqualTo(3);
    }

    @Test
    void anIntactFileHoldingAnInvalidProgramIsPassedOver() throws Exception {
        twoWritten();
        FlowProgram invalid = Programs.toPeer(5, 1, Programs.VM_A, Programs.VM_B, 1).hoverboards(7).build();
        Files.write(dir.resolve(Checkpoints.CURRENT), Checkpoints.frame(invalid));
        RestoreReport r = new Checkpoints(dir).restore();
        assertThat(r.program().version()).isEqualTo(1);
        assertThat(r.problems().getFirst().kind()).isEqualTo(RestoreReport.Kind.INVALID_PROGRAM);
    }
}
