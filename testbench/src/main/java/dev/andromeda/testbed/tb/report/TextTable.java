package dev.andromeda.testbed.tb.report;

import java.util.ArrayList;
import java.util.List;

/** A plain terminal table: a header row, aligned columns, numbers right-aligned. */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... header) {
        this.header = List.of(header);
    }

    /**
     * A line of its own between rows (a group's name), printed as is; it does not widen the
     * columns, so a long name does not push every row past the terminal's width.
     */
    public TextTable section(String text) {
        rows.add(List.of(SECTION + text));
        return this;
    }

    /** Marks a section row: no cell of a table starts with a NUL. */
    private static final String SECTION = "\0";

    public TextTable row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    public String render() {
        int n = header.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = header.get(i).length();
        }
        for (List<String> r : rows) {
            if (isSection(r)) {
                continue;
            }
            for (int i = 0; i < Math.min(n, r.size()); i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, header, w, false);
        for (int i = 0; i < n; i++) {
            b.append("-".repeat(w[i])).append(i + 1 < n ? "  " : "\n");
        }
        for (List<String> r : rows) {
            if (isSection(r)) {
                b.append(r.get(0).substring(SECTION.length())).append('\n');
            } else {
                line(b, r, w, true);
            }
        }
        return b.toString();
    }

    private static boolean isSection(List<String> r) {
        return r.size() == 1 && r.get(0).startsWith(SECTION);
    }

    private static void line(StringBuilder b, List<String> cells, int[] w, boolean alignNumbers) {
        for (int i = 0; i < w.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            boolean number = alignNumbers && !c.isEmpty() && (Character.isDigit(c.charAt(0)) || c.charAt(0) == '-')
                    && c.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.' || ch == ',' || ch == '-');
            String pad = " ".repeat(w[i] - c.length());
            b.append(number ? pad + c : c + pad);
            if (i + 1 < w.length) {
                b.append("  ");
            }
        }
        b.append('\n');
    }
}
