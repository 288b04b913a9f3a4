package dev.andromeda.testbed.tb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an output path before a command does any work (issue 15): a run of minutes must not end
 * in "cannot write" with no reason. Each check creates the parent directories (the commands do so
 * anyway when they write) and writes and deletes a probe file there: permission bits alone do not
 * tell, as root may "write" /proc or a read-only mount and fail only at the real write.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /** Refuses {@code file} (a FILE option; null means not given) unless it can be written. */
    public static void checkFile(CommandSpec spec, Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw refused(spec, file, "is a directory");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw refused(spec, file, "permission denied");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            probe(spec, file, parent);
        }
    }

    /** Refuses {@code dir} (a DIR option; null means not given) unless files can be written in it. */
    public static void checkDir(CommandSpec spec, Path dir) {
        if (dir == null) {
            return;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw refused(spec, dir, "not a directory");
        }
        probe(spec, dir, dir.toAbsolutePath());
    }

    private static void probe(CommandSpec spec, Path shown, Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw refused(spec, shown, p + " is not a directory");
                }
                break;
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw refused(spec, shown, "no such directory");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".tb-write-probe", ".tmp"));
        } catch (IOException e) {
            throw refused(spec, shown, "directory " + dir + " is not writable");
        }
    }

    private static CommandLine.ParameterException refused(CommandSpec spec, Path p, String why) {
        return new CommandLine.ParameterException(spec.commandLine(), "cannot write " + p + ": " + why);
    }
}
