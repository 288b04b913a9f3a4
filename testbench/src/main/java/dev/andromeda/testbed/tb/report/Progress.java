package dev.andromeda.testbed.tb.report;

/**
 * A one-line progress bar on stderr for long runs, redrawn at most ten times a
 * second; when stderr is not a terminal it prints one plain line per label
 * instead, so logs stay readable.
 */
public final class Progress {
    private static final int BAR = 20;
    private final boolean tty = System.console() != null && System.console().isTerminal();
    /** The bar's line stays a column short of the terminal's width: a full line would wrap on some terminals. */
    private final int columns = TerminalWidth.get() - 1;
    private long lastDraw;
    private String lastLabel;

    public void update(String label, long done, long total) {
        if (!tty) {
            if (!label.equals(lastLabel)) {
                System.err.println("  " + label + " ...");
                lastLabel = label;
            }
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && done != total) {
            return;
        }
        lastDraw = now;
        System.err.print("\r" + line(label, done, total, columns));
    }

    /** The bar's line, exactly {@code columns} wide: the label cut short with '~' where it does not fit. */
    static String line(String label, long done, long total, int columns) {
        String counts = done + "/" + total;
        int filled = total <= 0 ? BAR : (int) (Math.min(done, total) * BAR / total);
        String bar = " [" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + counts;
        int room = Math.max(columns - 2 - bar.length(), 4);
        String shown = label.length() <= room ? label : label.substring(0, room - 1) + "~";
        String text = "  " + String.format("%-" + Math.min(room, 40) + "s", shown) + bar;
        return text.length() >= columns ? text : text + " ".repeat(columns - text.length());
    }

    /** Clears the bar. */
    public void done() {
        if (tty) {
            System.err.print("\r" + " ".repeat(columns) + "\r");
        }
    }
}
