package dev.andromeda.testbed.tb.scenario;

/**
 * A scenario file that cannot be run, with where and why: the message is
 * {@code <source>:<line>: <reason>} (the form compilers use, so editors and
 * terminals can jump to the line), or {@code <source>: <reason>} when there is
 * no line to point at (a missing file). It is an {@link IllegalArgumentException}
 * because the file is an argument of {@code tb demo}: the command reports it
 * and exits, it is not a bug.
 */
public final class ScenarioException extends IllegalArgumentException {
    private final String source;
    private final int line;
    private final String reason;

    /**
     * @param source the file name (or another name for the text) as the user knows it
     * @param line   1-based line, or 0 when there is none
     * @param reason what is wrong, and what would be right where that helps
     */
    public ScenarioException(String source, int line, String reason) {
        this(source, line, reason, null);
    }

    public ScenarioException(String source, int line, String reason, Throwable cause) {
        super(line > 0 ? source + ":" + line + ": " + reason : source + ": " + reason, cause);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    /** 1-based line of the problem, 0 when there is none. */
    public int line() {
        return line;
    }

    /** The message without the source and line. */
    public String reason() {
        return reason;
    }
}
