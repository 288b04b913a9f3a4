package dev.andromeda.testbed.testkit.coverage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The cover groups of every run in a coverage folder, summed by group name: the functional
 * half of {@code tb coverage}.
 */
public final class FunctionalCoverage {
    private FunctionalCoverage() {
    }

    /** Every {@code *.cover.json} under {@code dir}, summed per group, in name order. */
    public static List<CoverGroup> read(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(f -> f.getFileName().toString().endsWith(CoverGroup.SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        List<CoverGroup> runs = new ArrayList<>();
        for (Path f : files) {
            runs.add(CoverGroup.read(f));
        }
        return merge(runs);
    }

    /** Sums runs of the same group; groups in name order. */
    public static List<CoverGroup> merge(List<CoverGroup> runs) {
        Map<String, CoverGroup> byName = new LinkedHashMap<>();
        for (CoverGroup run : runs) {
            byName.computeIfAbsent(run.name(), CoverGroup::new).add(run);
        }
        return byName.values().stream().sorted(java.util.Comparator.comparing(CoverGroup::name)).toList();
    }
}
