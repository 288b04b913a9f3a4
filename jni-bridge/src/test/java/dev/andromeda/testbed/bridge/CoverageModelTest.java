package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.bridge.ffm.FfmBackend;
import dev.andromeda.testbed.bridge.jni.JniBackend;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.contract.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The coverage build through both backends the way {@code tb cosim --coverage} uses it: the
 * coverage variant of a block served from another folder ({@link NativeModels#serveFrom}),
 * every model closing under {@code -Dtb.coverage.dir} writing a file of its own, the plain
 * models writing nothing and refusing a coverage file. The block is the example's small
 * filter (examples/axis_filter), so the suite does not wait for a coverage build of aes_gcm.
 */
class CoverageModelTest {

    @Test
    void coverageVariantsServedFromAnotherFolderWriteOneFilePerRunOnBothBackends(@TempDir Path dir) throws Exception {
        NativeModels plain = NativeModels.get();
        Backends.requireTool("the native models", plain.isAvailable() ? null : plain.unavailabilityCause());
        Path served = dir.resolve("models");
        Path manifest = Path.of("..", "examples", "axis_filter", "model.yaml").toAbsolutePath().normalize();
        List<String> log = new ArrayList<>();
        int rc = ModelBuilder.run(List.of("--manifest", manifest.toString(), "--coverage", "--out", served.toString()),
                log::add, log::add);
        assertThat(rc).as(String.join("\n", log)).isZero();
        assertThat(Files.readString(served.resolve("axis_filter.model.properties"))).contains("coverage=true");
        Files.copy(plain.jniShim(), served.resolve("libtb_jni.so"));
        Files.writeString(served.resolve("models.properties"), "status=ok\nmodels=axis_filter\n");

        Path cov = dir.resolve("coverage");
        System.setProperty(CoverageFiles.DIR_PROPERTY, cov.toString());
        try {
            // A plain model under the property: nothing written, and a file of its own is refused.
            try (HardwareModel m = Backends.open("rtl-ffm", "csum_offload")) {
                assertThat(((CoverageModel) m).coverageBuilt()).isFalse();
                assertThatThrownBy(() -> ((CoverageModel) m).coverageOnClose(dir.resolve("x.dat")))
                        .hasMessageContaining("built without coverage");
            }
            assertThat(cov).doesNotExist();

            NativeModels.serveFrom(served);
            for (RtlBackend backend : List.of(new FfmBackend(), new JniBackend(), new FfmBackend())) {
                assertThat(backend.unavailabilityCause()).isNull();
                try (HardwareModel m = backend.open("axis_filter")) {
                    assertThat(((CoverageModel) m).coverageBuilt()).isTrue();
                    m.set(m.port("m_axis_tready"), 1);
                    m.step(20);
                }
            }
        } finally {
            NativeModels.serveFrom(plain.directory());
            System.clearProperty(CoverageFiles.DIR_PROPERTY);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(cov)) {
            files = s.sorted().toList();
        }
        assertThat(files).as("one file per run, none overwritten").hasSize(3);
        assertThat(files.stream().filter(f -> f.getFileName().toString().startsWith("axis_filter-rtl_jni-"))).hasSize(1);
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
            assertThat(lines.getFirst()).startsWith("# SystemC::Coverage");
            // The clock's toggle point: 4 reset cycles and 20 steps, two changes each, after the first edge.
            String clock = lines.stream().filter(l -> l.contains("v_toggle/") && l.contains("\u0001o\u0002aclk\u0001"))
                    .findFirst().orElseThrow(() -> new AssertionError("no aclk toggle point in " + f));
            long count = Long.parseLong(clock.substring(clock.lastIndexOf('\'') + 1).trim());
            assertThat(count).as(f.toString()).isBetween(2L * 24 - 2, 2L * 24 + 2);
        }
        assertThat(NativeModels.get().blocks()).as("the plain models are served again").contains("csum_offload");
    }
}
