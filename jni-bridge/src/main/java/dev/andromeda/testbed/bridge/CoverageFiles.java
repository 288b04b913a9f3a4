package dev.andromeda.testbed.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * Where a coverage model's counters go: one new file per model run, so runs in sequence, in
 * parallel threads or in other processes writing into the same folder never overwrite each
 * other ({@code verilator_coverage} sums them later). A file is
 * {@code <block>-<backend>-<tag>-p<pid>-<n>.dat}, created atomically before it is written.
 */
public final class CoverageFiles {
    /** The folder every coverage model writes into when it closes without a file of its own. */
    public static final String DIR_PROPERTY = "tb.coverage.dir";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private CoverageFiles() {
    }

    /** The folder of {@code -Dtb.coverage.dir}, or null when coverage is not being collected. */
    public static Path defaultDir() {
        String dir = System.getProperty(DIR_PROPERTY);
        return dir == null || dir.isBlank() ? null : Path.of(dir).toAbsolutePath();
    }

    /**
     * A new, empty file for one run's counters in {@code dir} (made if missing).
     *
     * @param tag what tells runs apart for a reader (a seed, a test name); may be empty
     */
    public static Path newFile(Path dir, String block, String backend, String tag) {
        String stem = safe(block) + "-" + safe(backend) + (tag == null || tag.isEmpty() ? "" : "-" + safe(tag))
                + "-p" + ProcessHandle.current().pid();
        try {
            Files.createDirectories(dir);
            while (true) {
                Path f = dir.resolve(stem + "-" + SEQUENCE.incrementAndGet() + ".dat");
                try {
                    return Files.createFile(f);
                } catch (FileAlreadyExistsException taken) {
                    // a previous JVM with the same pid left it: take the next number
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a coverage file in " + dir, e);
        }
    }

    /**
     * What both bridges do as a coverage model closes, before its native model is freed: the
     * counters go to the file it was given, else to a new file under {@code -Dtb.coverage.dir},
     * else nowhere. A plain model writes nothing.
     *
     * @param write the bridge's {@code coverage_write(path)}: 0 written, -1 cannot write
     */
    public static void writeOnClose(boolean built, Path given, String block, String backend,
                                    ToIntFunction<String> write) {
        if (!built) {
            return;
        }
        Path dir = defaultDir();
        Path file = given != null ? given : dir == null ? null : newFile(dir, block, backend, "");
        if (file != null && write.applyAsInt(file.toAbsolutePath().toString()) != 0) {
            throw new UncheckedIOException(new IOException("cannot write coverage of " + block + " to " + file));
        }
    }

    /** Makes the folder of a file a caller named, so {@code coverage_write} can open it. */
    public static Path prepare(Path datFile) {
        try {
            Path parent = datFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return datFile.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the folder of " + datFile, e);
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.]", "_");
    }
}
