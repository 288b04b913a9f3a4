package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.bridge.ffm.FfmModel;
import dev.andromeda.testbed.bridge.jni.JniModel;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.contract.Backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;


/**
 * A built-in block built at other parameters than its defaults ({@code -G DATA_WIDTH=32}), through
 * the testbed's one model build (build-model.sh from the block's {@code rtl/<block>/model.yaml},
 * as {@code tb rtl build --manifest ... -G ...}) and opened by path under {@code rtl-jni} or
 * {@code rtl-ffm}. The model cache key covers the parameters, so each variant is Verilated once
 * per machine and then loads in a fraction of a second. A variant that cannot be built fails
 * under CI=true / {@code tb.rtl.required} and skips with Verilator's messages otherwise.
 */
final class ParameterizedModels {
    private static final Path RTL = Path.of("..", "rtl").toAbsolutePath().normalize();
    /** Built variants of this JVM: "block -G A=1 ..." to the folder holding the library. */
    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

    private ParameterizedModels() {
    }

    /**
     * Opens {@code block} built with the given parameters ({@code "DATA_WIDTH=32"}; none: the
     * built-in model the backend serves) on {@code backend}, reset as {@link RtlBackend#open} resets.
     */
    static HardwareModel open(String backend, String block, String... parameters) {
        Backends.require(backend);
        if (parameters.length == 0) {
            return Backends.open(backend, block);
        }
        Path dir = build(block, parameters);
        HardwareModel m = switch (backend) {
            case "rtl-ffm" -> FfmModel.open(dir);
            case "rtl-jni" -> JniModel.open(dir);
            default -> throw new IllegalArgumentException("not an RTL backend: " + backend);
        };
        m.reset(RtlBackend.RESET_CYCLES);
        return m;
    }

    private static Path build(String block, String... parameters) {
        String key = block + " -G " + String.join(" -G ", parameters);
        Path cached = BUILT.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (ParameterizedModels.class) {
            cached = BUILT.get(key);
            if (cached != null) {
                return cached;
            }
            Path out;
            try {
                out = Files.createTempDirectory("tb-param-model");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.toFile().deleteOnExit();
            List<String> args = new ArrayList<>(List.of("--manifest", RTL.resolve(block).resolve("model.yaml").toString()));
            for (String p : parameters) {
                args.addAll(List.of("-G", p));
            }
            args.addAll(List.of("--out", out.toString()));
            StringBuilder log = new StringBuilder();
            long t0 = System.nanoTime();
            int rc = ModelBuilder.run(args, line -> log.append(line).append('\n'), line -> log.append(line).append('\n'));
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (rc != 0) {
                String cause = "cannot build " + key + " (exit " + rc + "):\n" + log;
                Backends.requireTool(key, cause); // fails under CI=true, skips elsewhere
            }
            // Says whether it came from the cache or how long Verilator and g++ took (a fresh CI machine pays it).
            log.toString().lines().filter(l -> l.contains("built in") || l.contains("cached"))
                    .forEach(l -> System.out.println(l + String.format(" [%s: %.1f s in the test]", key, seconds)));
            BUILT.put(key, out);
            return out;
        }
    }
}
