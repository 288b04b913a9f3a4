package dev.andromeda.testbed.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Where the Verilated model libraries are, and whether there are any.
 *
 * <p>The build (build-models.sh) puts {@code libtbmodel_<block>.so}, the JNI
 * shim {@code libtb_jni.so} and {@code models.properties} under
 * {@code native/linux-x86_64/} on the class path. From a directory they are
 * used in place; from a jar they are copied to a temporary directory first.
 * {@code -Dtb.native.dir=DIR} points at another directory (set before the first use).
 *
 * <p>Probed once; when anything is missing the cause is kept and reported by
 * every RTL backend ({@link #unavailabilityCause()}).
 */
public final class NativeModels {
    private static final String PLATFORM = "linux-x86_64";
    private static final String RESOURCE_DIR = "/native/" + PLATFORM + "/";

    /** Probed on first use; replaced by {@link #serveFrom} (the coverage variants). */
    private static volatile NativeModels current;

    private final Path dir;
    private final List<String> blocks;
    private final String cause;
    private final String verilator;

    private NativeModels(Path dir, List<String> blocks, String cause, String verilator) {
        this.dir = dir;
        this.blocks = blocks;
        this.cause = cause;
        this.verilator = verilator;
    }

    public static NativeModels get() {
        NativeModels m = current;
        if (m == null) {
            synchronized (NativeModels.class) {
                if (current == null) {
                    current = probe();
                }
                m = current;
            }
        }
        return m;
    }

    /**
     * Serves the libraries of another folder from now on -- {@code tb cosim --coverage} puts
     * the coverage variants of the blocks there -- for every model opened after this call
     * (the backends probe the new folder again; models open now keep their library).
     */
    public static synchronized NativeModels serveFrom(Path dir) {
        current = probe(dir);
        return current;
    }

    /** The folder the libraries are served from (null when unavailable). */
    public Path directory() {
        return dir;
    }

    /** Null when the models are usable; otherwise why not, with what to do. */
    public String unavailabilityCause() {
        return cause;
    }

    public boolean isAvailable() {
        return cause == null;
    }

    /** The blocks built into libraries. */
    public List<String> blocks() {
        return blocks;
    }

    /** The Verilator version that built them. */
    public String verilator() {
        return verilator;
    }

    public Path modelLibrary(String block) {
        return dir.resolve("libtbmodel_" + block + ".so");
    }

    public Path jniShim() {
        return dir.resolve("libtb_jni.so");
    }

    private static NativeModels probe() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return unavailable("the RTL models are built for " + PLATFORM + "; this is " + os + "-" + arch);
        }
        try {
            Path dir;
            String override = System.getProperty("tb.native.dir");
            if (override != null) {
                dir = Path.of(override);
            } else {
                URL url = NativeModels.class.getResource(RESOURCE_DIR + "models.properties");
                if (url == null) {
                    return unavailable("no " + RESOURCE_DIR + "models.properties on the class path: jni-bridge was"
                            + " built without running build-models.sh (build with ./tb or ./mvnw compile)");
                }
                dir = "file".equals(url.getProtocol()) ? Path.of(url.toURI()).getParent() : extract();
            }
            return probe(dir);
        } catch (IOException | URISyntaxException | UncheckedIOException e) {
            return unavailable("cannot locate the RTL model libraries: " + e);
        }
    }

    private static NativeModels probe(Path dir) {
        try {
            Properties p = new Properties();
            Path status = dir.resolve("models.properties");
            if (!Files.exists(status)) {
                return unavailable(status + " is missing");
            }
            try (InputStream in = Files.newInputStream(status)) {
                p.load(in);
            }
            if (!"ok".equals(p.getProperty("status"))) {
                return unavailable("the RTL models were not built: " + p.getProperty("cause", "unknown cause"));
            }
            List<String> blocks = Arrays.stream(p.getProperty("models", "").split(","))
                    .filter(s -> !s.isBlank()).toList();
            for (String b : blocks) {
                Path lib = dir.resolve("libtbmodel_" + b + ".so");
                if (!Files.isReadable(lib)) {
                    return unavailable(lib + " is missing");
                }
            }
            return new NativeModels(dir, blocks, null, p.getProperty("verilator", "?"));
        } catch (IOException | UncheckedIOException e) {
            return unavailable("cannot read the RTL model libraries in " + dir + ": " + e);
        }
    }

    private static NativeModels unavailable(String cause) {
        return new NativeModels(null, List.of(), cause, null);
    }

    /** Copies the libraries out of the jar into a temporary directory. */
    private static Path extract() throws IOException {
        Path tmp = Files.createTempDirectory("andromeda-tb-native");
        tmp.toFile().deleteOnExit();
        Properties p = new Properties();
        try (InputStream in = NativeModels.class.getResourceAsStream(RESOURCE_DIR + "models.properties")) {
            p.load(in);
        }
        List<String> files = new java.util.ArrayList<>(List.of("models.properties", "libtb_jni.so"));
        for (String b : p.getProperty("models", "").split(",")) {
            if (!b.isBlank()) {
                files.add("libtbmodel_" + b + ".so");
            }
        }
        for (String f : files) {
            try (InputStream in = NativeModels.class.getResourceAsStream(RESOURCE_DIR + f)) {
                if (in == null) {
                    continue;
                }
                Path target = tmp.resolve(f);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().deleteOnExit();
            }
        }
        return tmp;
    }
}
