package dev.andromeda.testbed.hw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where waveform files go: every backend creates the parent directory the same way. */
public final class Waveforms {
    private Waveforms() {
    }

    /** The file's absolute path, its parent directory created. */
    public static Path prepare(Path file) {
        Path abs = file.toAbsolutePath();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of waveform " + abs, e);
        }
        return abs;
    }
}
