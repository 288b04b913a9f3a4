package dev.andromeda.testbed.testkit;

import dev.andromeda.testbed.bridge.ModelBuilder;
import dev.andromeda.testbed.bridge.ModelDescription;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a model from a manifest with the testbed's one model build (build-model.sh, the same
 * as {@code tb rtl build}; cached by a hash of sources, parameters, flags and tool versions, so
 * a test builds once and then loads in a fraction of a second).
 */
public final class RtlModels {
    private RtlModels() {
    }

    /**
     * What a model build needs and this machine lacks, or null when verilator, g++ and make are
     * all on the PATH: a test's {@code @BeforeAll} fails with it under {@code CI=true}
     * ({@code HardwareBackends.rtlRequired()}) and skips with it otherwise.
     */
    public static String missingTools() {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("verilator", "g++", "make")) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                missing.add(tool);
            }
        }
        return missing.isEmpty() ? null
                : "verilator, g++ and make are needed to build the model; missing: " + String.join(", ", missing);
    }

    /**
     * For a test's {@code @BeforeAll}: fails naming the missing tools under {@code CI=true} (or
     * {@code -Dtb.rtl.required=true}, {@code HardwareBackends.rtlRequired()}), where an RTL test that
     * cannot build its model must not pass; elsewhere skips, saying what to install.
     */
    public static void requireTools() {
        String missing = missingTools();
        if (missing != null && dev.andromeda.testbed.hw.HardwareBackends.rtlRequired()) {
            org.junit.jupiter.api.Assertions.fail("the RTL is required here (CI=true or -Dtb.rtl.required=true): "
                    + missing);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, missing);
    }

    /**
     * Builds (or takes from the cache) the model a manifest describes.
     *
     * @param extra more build-model.sh options, e.g. {@code "-G", "DATA_BYTES=8"} (they add to the
     *              manifest's lists and override its scalars)
     * @throws IllegalStateException with Verilator's or the script's messages when it cannot be built
     */
    public static ModelDescription build(Path manifest, String... extra) {
        Path out;
        try {
            out = Files.createTempDirectory("rtl-testkit-model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("--manifest", manifest.toAbsolutePath().toString()));
        args.addAll(List.of(extra));
        args.addAll(List.of("--out", out.toString()));
        StringBuilder log = new StringBuilder();
        int rc = ModelBuilder.run(args, line -> log.append(line).append('\n'), line -> log.append(line).append('\n'));
        if (rc != 0) {
            throw new IllegalStateException("cannot build the model of " + manifest + ":\n" + log);
        }
        // Lint warnings are the user's business, but never silent.
        log.toString().lines().filter(l -> l.startsWith("%Warning") || l.contains("lint warning")).forEach(System.out::println);
        out.toFile().deleteOnExit();
        return ModelDescription.read(out);
    }
}
