package dev.andromeda.testbed.tb.report;

import java.util.ArrayList;
import java.util.List;

/**
 * How wide tb's help, long lines and progress bar may be (issue 15): the terminal's width,
 * which the ./tb launcher exports as {@code COLUMNS} when its output is a terminal (bash does
 * not export it by itself), else 80, the width a log or a pipe is read at.
 */
public final class TerminalWidth {
    /** Without COLUMNS: what a terminal opens with, and what a pipe or a log is read at. */
    public static final int DEFAULT = 80;
    /** Picocli refuses a usage width below 55. */
    public static final int MIN = 55;
    /** Wider than this, lines are no easier to read. */
    public static final int MAX = 200;

    private TerminalWidth() {
    }

    /** The width for this process: from the environment's COLUMNS. */
    public static int get() {
        return of(System.getenv("COLUMNS"));
    }

    /** The width for a COLUMNS value (null, blank or not a number: {@link #DEFAULT}), within [MIN, MAX]. */
    public static int of(String columns) {
        if (columns == null || !columns.strip().matches("[0-9]{1,6}")) {
            return DEFAULT;
        }
        return Math.clamp(Integer.parseInt(columns.strip()), MIN, MAX);
    }

    /**
     * Lines of text laid out at {@code width}: consecutive unindented lines are one paragraph,
     * joined and wrapped at spaces (the commands' descriptions are sentences written over
     * several lines); a blank line stays; an indented line (an example, a table row) stays as
     * it is when it fits, else wraps under its second column (where a run of two spaces ends)
     * or two past its indentation. A row's own continuation lines -- indented exactly to its
     * second column -- are joined to it before it is wrapped, so a row written over several
     * lines at 100 columns reads as one at 80, not as every source line broken in two
     * ({@code tb bench fastpath --help}'s stage list). A word longer than the width is left whole.
     */
    public static List<String> reflow(String[] lines, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        StringBuilder row = new StringBuilder();
        int rowColumn = -1; // the pending row's second column, -1 when it has none
        for (String line : lines) {
            boolean indented = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
            if (indented && !row.isEmpty() && rowColumn > 0 && leadingSpaces(line) == rowColumn) {
                row.append(' ').append(line.strip());
                continue;
            }
            flushRow(row, width, out);
            if (line.isBlank() || indented) {
                flush(paragraph, width, out);
                if (line.isBlank()) {
                    out.add("");
                } else {
                    row.append(line.stripTrailing());
                    rowColumn = secondColumn(line);
                }
            } else {
                paragraph.append(paragraph.isEmpty() ? "" : " ").append(line.strip());
            }
        }
        flushRow(row, width, out);
        flush(paragraph, width, out);
        return out;
    }

    private static void flushRow(StringBuilder row, int width, List<String> out) {
        if (!row.isEmpty()) {
            String r = row.toString();
            wrap(r, width, hangingIndent(r, width), out);
            row.setLength(0);
        }
    }

    private static int leadingSpaces(String line) {
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') {
            lead++;
        }
        return lead;
    }

    /** Where the text after a row's first run of two or more spaces starts, or -1. */
    private static int secondColumn(String line) {
        int gap = line.indexOf("  ", leadingSpaces(line));
        if (gap < 0) {
            return -1;
        }
        int col = gap;
        while (col < line.length() && line.charAt(col) == ' ') {
            col++;
        }
        return col < line.length() ? col : -1;
    }

    /** {@code text} wrapped at {@code width}, continuation lines indented by {@code indent}. */
    public static List<String> wrap(String text, int width, int indent) {
        List<String> out = new ArrayList<>();
        wrap(text, width, indent, out);
        return out;
    }

    private static void flush(StringBuilder paragraph, int width, List<String> out) {
        if (!paragraph.isEmpty()) {
            wrap(paragraph.toString(), width, 0, out);
            paragraph.setLength(0);
        }
    }

    private static int hangingIndent(String line, int width) {
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') {
            lead++;
        }
        int gap = line.indexOf("  ", lead);
        if (gap > 0) {
            int col = gap;
            while (col < line.length() && line.charAt(col) == ' ') {
                col++;
            }
            if (col < line.length() && col <= width / 2) {
                return col;
            }
        }
        return Math.min(lead + 2, width / 2);
    }

    private static void wrap(String text, int width, int indent, List<String> out) {
        String rest = text.stripTrailing();
        String pad = "";
        while (pad.length() + rest.length() > width) {
            int room = width - pad.length();
            int cut = rest.lastIndexOf(' ', room);
            // Not inside the leading spaces of the first line, nor at its very start.
            int firstText = 0;
            while (firstText < rest.length() && rest.charAt(firstText) == ' ') {
                firstText++;
            }
            if (cut <= firstText) {
                cut = rest.indexOf(' ', room);
                if (cut < 0) {
                    break;
                }
            }
            out.add(pad + rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).strip();
            pad = " ".repeat(indent);
        }
        out.add(pad + rest);
    }
}
