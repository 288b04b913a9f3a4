package dev.andromeda.testbed.bridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the testbed's one model build (build-model.sh, the script jni-bridge's own build
 * runs for the built-in blocks) on any Verilog sources: the engine of {@code tb rtl build}.
 * The script and the glue ship on the class path under {@code native/build/}; from a jar they
 * are copied to a temporary folder first (same contents, so the same cache keys).
 */
public final class ModelBuilder {
    /** Exit status of the script for bad input (one "error:" line, nothing run). */
    public static final int BAD_INPUT = 2;
    private static final String RESOURCE_DIR = "/native/build/";
    private static final List<String> FILES = List.of("build-model.sh", "tb_model_glue.cpp", "tb_model_abi.h");

    private ModelBuilder() {
    }

    /**
     * Runs the build with build-model.sh's arguments ({@code --top}, {@code --src}, ... {@code --out});
     * every line it prints on stdout goes to {@code out}, on stderr to {@code err}, as they come.
     *
     * @return the script's exit status: 0 built, {@link #BAD_INPUT} bad input, 1 the model cannot be built
     */
    public static int run(List<String> args, Consumer<String> out, Consumer<String> err) {
        List<String> cmd = new ArrayList<>(List.of("bash", script().toString()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            Thread errPump = Thread.ofPlatform().name("rtl-build-stderr").start(() -> pump(p.getErrorStream(), err));
            pump(p.getInputStream(), out);
            errPump.join();
            return p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bash for the model build", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the model", e);
        }
    }

    private static void pump(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                sink.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static volatile Path script;

    /** build-model.sh, in place from a class folder, or copied out of the jar once. */
    static synchronized Path script() {
        if (script != null) {
            return script;
        }
        URL url = ModelBuilder.class.getResource(RESOURCE_DIR + FILES.getFirst());
        if (url == null) {
            throw new IllegalStateException("no " + RESOURCE_DIR + FILES.getFirst() + " on the class path (rebuild jni-bridge)");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                script = Path.of(url.toURI());
            } else {
                Path tmp = Files.createTempDirectory("andromeda-tb-build");
                for (String f : FILES) {
                    try (InputStream in = ModelBuilder.class.getResourceAsStream(RESOURCE_DIR + f)) {
                        if (in == null) {
                            throw new IllegalStateException("no " + RESOURCE_DIR + f + " on the class path");
                        }
                        Files.copy(in, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    }
                    tmp.resolve(f).toFile().deleteOnExit();
                }
                tmp.toFile().deleteOnExit();
                script = tmp.resolve(FILES.getFirst());
            }
            return script;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate build-model.sh: " + e, e);
        }
    }
}
