package dev.andromeda.testbed.hw.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A block's sources as its manifest lists them ({@link BlockSources}), and every block's
 * manifest agreeing with its {@code lint-deps} (what {@code rtl/lint.sh} reads), so Verilator,
 * its lint, Icarus and yosys all read the same design.
 */
class BlockSourcesTest {
    private static final Path RTL = Path.of("..", "rtl").toAbsolutePath().normalize();

    @Test
    void readsAnInlineListAndAOneALineList() {
        assertThat(BlockSources.entries("top: nic\nsources: [., ../csum_offload]   # the block\nclock: clk\n"))
                .containsExactly(".", "../csum_offload");
        assertThat(BlockSources.entries("""
                top: x
                sources:
                  - a.sv   # one
                  # not one
                  - "lib/"
                clock: clk
                """)).containsExactly("a.sv", "lib/");
        assertThat(BlockSources.entries("top: x\nsources: []\n")).isEmpty();
    }

    @Test
    void aFolderStandsForItsVerilogFilesInNameOrder(@TempDir Path rtl) throws IOException {
        Files.createDirectories(rtl.resolve("top/sub"));
        Files.createDirectories(rtl.resolve("dep"));
        Files.writeString(rtl.resolve("top/model.yaml"), "top: top\nsources: [., ../dep/d.v]\n");
        Files.writeString(rtl.resolve("top/top.sv"), "");
        Files.writeString(rtl.resolve("top/a.sv"), "");
        Files.writeString(rtl.resolve("top/README.md"), "");
        Files.writeString(rtl.resolve("top/sub/deeper.sv"), "");
        Files.writeString(rtl.resolve("dep/d.v"), "");
        assertThat(BlockSources.of(rtl, "top")).containsExactly(rtl.resolve("top/a.sv"), rtl.resolve("top/top.sv"),
                rtl.resolve("dep/d.v"));
        assertThat(BlockSources.own(rtl, "top")).containsExactly(rtl.resolve("top/a.sv"), rtl.resolve("top/top.sv"));
        assertThat(BlockSources.inside(rtl, "top")).containsExactly(rtl.resolve("dep/d.v"));
        assertThat(BlockSources.blocksInside(rtl, "top")).containsExactly("dep");
    }

    @Test
    void refusesAMissingManifestOrSource(@TempDir Path rtl) throws IOException {
        assertThatThrownBy(() -> BlockSources.of(rtl, "none")).hasMessageContaining("no manifest for block 'none'");
        Files.createDirectories(rtl.resolve("top"));
        Files.writeString(rtl.resolve("top/model.yaml"), "top: top\nsources: [., ../gone]\n");
        Files.writeString(rtl.resolve("top/top.sv"), "");
        assertThatThrownBy(() -> BlockSources.of(rtl, "top")).hasMessageContaining("source '../gone'");
    }

    /** The NIC's sources are its own and those of every block it instantiates. */
    @Test
    void theNicReadsTheBlocksItInstantiates() throws IOException {
        List<Path> nic = BlockSources.of(RTL, "nic");
        assertThat(nic).contains(RTL.resolve("nic/nic.sv"), RTL.resolve("csum_offload/csum_offload.sv"));
        assertThat(BlockSources.blocksInside(RTL, "nic")).contains("csum_offload");
        assertThat(BlockSources.blocksInside(RTL, "dma_copy")).isEmpty();
    }

    /**
     * Each block's manifest names exactly its own folder and the folders of its lint-deps
     * (whitespace-separated, any number a line): a block added to one and not the other fails here.
     */
    @Test
    void everyManifestNamesTheFoldersItsLintDepsName() throws IOException {
        try (Stream<Path> blocks = Files.list(RTL)) {
            for (Path dir : blocks.filter(d -> Files.isRegularFile(d.resolve("model.yaml"))).sorted().toList()) {
                String block = dir.getFileName().toString();
                Set<Path> folders = BlockSources.of(RTL, block).stream().map(Path::getParent)
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<Path> want = new TreeSet<>(Set.of(dir));
                Path deps = dir.resolve("lint-deps");
                if (Files.exists(deps)) {
                    Files.readAllLines(deps).stream().map(l -> l.replaceFirst("#.*$", "").trim())
                            .flatMap(l -> Arrays.stream(l.split("\\s+"))).filter(w -> !w.isEmpty())
                            .forEach(w -> want.add(RTL.resolve(w)));
                }
                assertThat(folders).as("%s: folders of model.yaml's sources against itself + lint-deps", block)
                        .isEqualTo(want);
            }
        }
    }
}
