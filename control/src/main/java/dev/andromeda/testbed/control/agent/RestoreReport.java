package dev.andromeda.testbed.control.agent;

import java.nio.file.Path;
import java.util.List;

/**
 * What a start-up restore found: the program it restored, the file it came
 * from ({@code null} when the host starts empty) and every checkpoint it had
 * to pass over and why.
 */
public record RestoreReport(FlowProgram program, Path source, List<Problem> problems) {
    public RestoreReport {
        problems = List.copyOf(problems);
    }

    public enum Kind {
        /** Shorter than its header says (a write cut off, a short copy). */
        TRUNCATED,
        /** Bad magic, a length that does not match, or a CRC32C mismatch: the bytes changed. */
        CORRUPT,
        /** A format version this agent does not read. */
        UNSUPPORTED_FORMAT,
        /** Intact bytes that are not a valid program. */
        INVALID_PROGRAM,
        /** The file could not be read at all. */
        UNREADABLE
    }

    /** One checkpoint passed over. */
    public record Problem(Path file, Kind kind, String message) {
        @Override
        public String toString() {
            return file.getFileName() + ": " + kind + ": " + message;
        }
    }

    /** Whether a checkpoint was restored (else the host starts with no flows). */
    public boolean restored() {
        return source != null;
    }

    /** Whether a checkpoint other than the newest had to be used, or none at all although one existed. */
    public boolean fellBack() {
        return !problems.isEmpty();
    }
}
