package dev.andromeda.testbed.hw.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A command-line tool the hardware checks run (Icarus Verilog, yosys): found on the PATH, run with a bound. */
public final class ExternalTool {
    private ExternalTool() {
    }

    /** Null when every tool is on the PATH, else which is missing and the Debian package to install. */
    public static String unavailabilityCause(String debianPackage, String... tools) {
        String[] path = System.getenv().getOrDefault("PATH", "").split(File.pathSeparator);
        for (String tool : tools) {
            if (Stream.of(path).noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
                return tool + " not found on PATH (Debian/Ubuntu: sudo apt-get install -y " + debianPackage + ")";
            }
        }
        return null;
    }

    /** What a run printed (stdout and stderr together) and how it ended. */
    public record Run(int exitCode, String output) {
    }

    /** Runs {@code cmd} in {@code dir}; one that runs past {@code timeoutSeconds} is killed and reported. */
    public static Run run(List<String> cmd, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, cmd.getFirst(), ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.getFirst() + " ran past " + timeoutSeconds + " s");
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
