package dev.andromeda.testbed.testkit.coverage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Functional coverage: a named group of {@link Coverpoint}s that a test (or {@code tb cosim})
 * fills as it runs -- which frame lengths, back-pressure runs and command fields it actually
 * drove. Verilator's coverage says which lines and bits of the RTL moved; a group says which
 * cases of the test plan were exercised. Each run writes its group as a
 * {@code <group>-p<pid>-<n>.cover.json} into the coverage folder, beside the Verilator
 * {@code .dat} files; {@link FunctionalCoverage#read} sums them across runs, seeds and tests
 * and {@code tb coverage} reports them beside the Verilator summary.
 *
 * <p>A file is {@code {"group": NAME, "points": [{"name": P, "outside": N, "bins": [{"name":
 * B, "lo": L, "hi": H, "hits": N}, ...]}, ...]}}.
 */
public final class CoverGroup {
    /** The suffix of a group's file. */
    public static final String SUFFIX = ".cover.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String name;
    private final Map<String, Coverpoint> points = new LinkedHashMap<>();

    public CoverGroup(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a cover group needs a name");
        }
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The point of that name, made empty (no bins) the first time: add its bins then. */
    public Coverpoint point(String pointName) {
        return points.computeIfAbsent(pointName, Coverpoint::new);
    }

    public List<Coverpoint> points() {
        return Collections.unmodifiableList(new ArrayList<>(points.values()));
    }

    /** Adds another run of the same group (same points, same bins) to this one. */
    public CoverGroup add(CoverGroup other) {
        if (!other.name.equals(name)) {
            throw new IllegalArgumentException("cannot add group '" + other.name + "' to '" + name + "'");
        }
        for (Coverpoint p : other.points.values()) {
            Coverpoint mine = points.get(p.name());
            if (mine == null) {
                mine = point(p.name());
                for (Coverpoint.Bin b : p.bins()) {
                    mine.range(b.name(), b.lo(), b.hi());
                }
            }
            mine.add(p, name);
        }
        return this;
    }

    /** Writes this run's counts as a new file in {@code dir} (made if missing); never overwrites one. */
    public Path write(Path dir) {
        String stem = name.replaceAll("[^A-Za-z0-9_.]", "_") + "-p" + ProcessHandle.current().pid();
        try {
            Files.createDirectories(dir);
            while (true) {
                Path f = dir.resolve(stem + "-" + SEQUENCE.incrementAndGet() + SUFFIX);
                try {
                    Files.createFile(f);
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
                JSON.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), toJson());
                return f;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write cover group " + name + " into " + dir, e);
        }
    }

    public ObjectNode toJson() {
        ObjectNode g = JSON.createObjectNode().put("group", name);
        ArrayNode ps = g.putArray("points");
        for (Coverpoint p : points.values()) {
            ObjectNode pn = ps.addObject().put("name", p.name()).put("outside", p.outside());
            ArrayNode bs = pn.putArray("bins");
            for (Coverpoint.Bin b : p.bins()) {
                bs.addObject().put("name", b.name()).put("lo", b.lo()).put("hi", b.hi()).put("hits", b.hits());
            }
        }
        return g;
    }

    /** A group from its file. */
    public static CoverGroup read(Path file) {
        try {
            return fromJson(JSON.readTree(file.toFile()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a cover group file (" + e.getMessage() + ")", e);
        }
    }

    static CoverGroup fromJson(JsonNode n) {
        CoverGroup g = new CoverGroup(n.required("group").asText());
        for (JsonNode pn : n.required("points")) {
            Coverpoint p = g.point(pn.required("name").asText());
            JsonNode bins = pn.required("bins");
            long[] hits = new long[bins.size()];
            int i = 0;
            for (JsonNode b : bins) {
                p.range(b.required("name").asText(), b.required("lo").asLong(), b.required("hi").asLong());
                hits[i++] = b.required("hits").asLong();
            }
            p.restore(hits, pn.path("outside").asLong(0));
        }
        return g;
    }
}
