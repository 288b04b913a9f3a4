package dev.andromeda.testbed.tb.report;

/**
 * A one-line progress bar on stderr for long runs, redrawn at most ten times a
 * second; when stderr is not a terminal it prints one plain line per label
 * instead, so logs stay readable.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private final boolean tty = System.console() != null && System.console().isTerminal();
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
        int filled = total == 0 ? WIDTH : (int) (done * WIDTH / total);
        System.err.printf("\r  %-40s [%s%s] %d/%d", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total);
    }

    /** Clears the bar. */
    public void done() {
        if (tty) {
            System.err.print("\r" + " ".repeat(100) + "\r");
        }
    }
}
