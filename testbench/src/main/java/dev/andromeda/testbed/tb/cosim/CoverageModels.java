package dev.andromeda.testbed.tb.cosim;

import dev.andromeda.testbed.bridge.CoverageFiles;
import dev.andromeda.testbed.bridge.ModelBuilder;
import dev.andromeda.testbed.bridge.NativeModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The coverage variants of the built-in blocks, for {@code tb cosim --coverage}: each block's
 * manifest ({@code rtl/<block>/model.yaml}) built again through the one model build with
 * {@code --coverage} (cached apart from the plain model), into a folder beside copies of the
 * other plain libraries, which the RTL backends then serve from ({@link NativeModels#serveFrom}).
 * Every model closing after that writes its own {@code .dat} into the coverage folder.
 */
public final class CoverageModels {
    private CoverageModels() {
    }

    /** The folder of the blocks' sources: {@code -Dtb.rtl.dir}, else {@code rtl/} here or one folder up. */
    public static Path rtlDir() {
        String set = System.getProperty("tb.rtl.dir");
        if (set != null) {
            return Path.of(set).toAbsolutePath();
        }
        for (Path p : List.of(Path.of("rtl"), Path.of("..", "rtl"))) {
            if (Files.isDirectory(p) && Files.exists(p.resolve("csum_offload/model.yaml"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("no rtl/ folder with the blocks' manifests here or one folder up"
                + " (run tb from the clone, or set -Dtb.rtl.dir)");
    }

    /**
     * Builds the coverage variants of {@code blocks} into {@code modelDir}, serves the RTL
     * backends from there, and makes every coverage model write into {@code coverageDir}.
     *
     * @param log the build's progress lines
     * @throws IllegalStateException when a block cannot be built (with the build's messages)
     */
    public static void use(List<String> blocks, Path modelDir, Path coverageDir, Consumer<String> log) {
        NativeModels plain = NativeModels.get();
        if (!plain.isAvailable()) {
            throw new IllegalStateException("the RTL models are unavailable: " + plain.unavailabilityCause());
        }
        Path rtl = rtlDir();
        try {
            Files.createDirectories(modelDir);
            // The plain libraries of every block and the JNI shim first, so the blocks not asked for still load.
            List<String> files = new ArrayList<>(List.of("models.properties", "libtb_jni.so"));
            plain.blocks().forEach(b -> files.add("libtbmodel_" + b + ".so"));
            for (String f : files) {
                Path tmp = modelDir.resolve(f + ".tmp");
                Files.copy(plain.directory().resolve(f), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, modelDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + modelDir, e);
        }
        for (String block : blocks) {
            Path manifest = rtl.resolve(block).resolve("model.yaml");
            StringBuilder out = new StringBuilder();
            int rc = ModelBuilder.run(List.of("--manifest", manifest.toString(), "--coverage", "--out", modelDir.toString()),
                    line -> {
                        out.append(line).append('\n');
                        log.accept(line);
                    },
                    line -> out.append(line).append('\n'));
            if (rc != 0) {
                throw new IllegalStateException("cannot build the coverage variant of " + block + ":\n" + out);
            }
        }
        NativeModels served = NativeModels.serveFrom(modelDir);
        if (!served.isAvailable()) {
            throw new IllegalStateException("the coverage models in " + modelDir + " are unavailable: "
                    + served.unavailabilityCause());
        }
        System.setProperty(CoverageFiles.DIR_PROPERTY, coverageDir.toAbsolutePath().toString());
    }
}
