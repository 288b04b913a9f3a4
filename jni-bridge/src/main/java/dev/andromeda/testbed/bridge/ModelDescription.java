package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A model built by build-model.sh ({@code tb rtl build}, or the build of the built-in blocks):
 * what {@code <top>.model.properties} beside {@code libtbmodel_<top>.so} says about it.
 *
 * @param top        the top module, also the ABI symbol's suffix
 * @param library    the absolute path of the model library
 * @param hash       the cache key the build computed (sources, manifest, flags, glue, tools)
 * @param clock      the clock port
 * @param reset      the reset port, or {@code none}
 * @param resetActiveLow whether the reset asserts at 0
 * @param parameters the parameters set at build time (-G), in order
 * @param ports      the ports, in the library's port-table order (handle = index)
 * @param lintWarnings how many -Wall warnings Verilator printed
 */
public record ModelDescription(String top, Path library, String hash, String clock, String reset,
                               boolean resetActiveLow, Map<String, String> parameters, List<PortInfo> ports,
                               int lintWarnings) {
    public static final String SUFFIX = ".model.properties";

    /**
     * Reads a description from its {@code .model.properties} file, the library beside it
     * ({@code libtbmodel_<top>.so}), or the folder {@code tb rtl build --out} wrote when it holds one model.
     */
    public static ModelDescription read(Path path) {
        Path p = path.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(p)) {
                List<Path> found;
                try (var s = Files.list(p)) {
                    found = s.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
                }
                if (found.size() != 1) {
                    throw new IllegalArgumentException(p + " holds " + (found.isEmpty() ? "no model description (*"
                            + SUFFIX + ")" : found.size() + " models " + found.stream().map(Path::getFileName).toList()
                            + "; name one"));
                }
                p = found.getFirst();
            } else {
                String name = p.getFileName().toString();
                if (name.startsWith("libtbmodel_") && name.endsWith(".so")) {
                    p = p.resolveSibling(name.substring("libtbmodel_".length(), name.length() - 3) + SUFFIX);
                }
            }
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no model description " + p + " (build one with tb rtl build)");
            }
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(p)) {
                props.load(in);
            }
            String top = required(props, "top", p);
            Path library = p.resolveSibling(props.getProperty("library", "libtbmodel_" + top + ".so"));
            if (!Files.isReadable(library)) {
                throw new IllegalArgumentException(p + " describes " + library + ", which is missing");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (String kv : props.getProperty("parameters", "").split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    params.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            List<PortInfo> ports = new ArrayList<>();
            for (String port : required(props, "ports", p).split(",")) {
                String[] f = port.split(":");
                if (f.length != 3) {
                    throw new IllegalArgumentException(p + ": bad port '" + port + "' (name:in|out:width)");
                }
                ports.add(new PortInfo(ports.size(), f[0], Integer.parseInt(f[2]),
                        f[1].equals("in") ? PortDirection.IN : PortDirection.OUT));
            }
            return new ModelDescription(top, library, props.getProperty("hash", "?"), props.getProperty("clock", "clk"),
                    props.getProperty("reset", "rst"), Boolean.parseBoolean(props.getProperty("reset_active_low")),
                    Map.copyOf(params), List.copyOf(ports), Integer.parseInt(props.getProperty("lint_warnings", "0")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model description " + p, e);
        }
    }

    private static String required(Properties props, String key, Path p) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(p + " has no '" + key + "' (not written by tb rtl build?)");
        }
        return v;
    }
}
