package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

import java.util.ArrayDeque;

/**
 * Sends {@link AxiFrame}s into a model's AXI-stream input, beat by beat, with seeded random
 * idle cycles ({@link ValidReadySource} does the handshake): bytes fill lanes from lane 0,
 * the last beat of a frame carries {@code tlast} and a {@code tkeep} of its bytes, and
 * {@code tuser}/{@code tid}/{@code tdest} are held over the frame. Add it to a {@link Testbench}.
 */
public final class AxiStreamSource implements BusAgent {
    private final AxiStream stream;
    private final ValidReadySource driver;
    private final ArrayDeque<AxiFrame> queue = new ArrayDeque<>();
    private final ArrayDeque<String> labels = new ArrayDeque<>();
    private AxiFrame current;
    private String currentLabel;
    private int offset;
    private long framesOffered;
    private long framesQueued;

    public AxiStreamSource(HardwareModel model, AxiStream stream, long seed, double idleProbability) {
        if (!stream.isInput()) {
            throw new IllegalArgumentException(stream.prefix() + " is an output of " + model.block()
                    + "; a source drives an input stream");
        }
        this.stream = stream;
        this.driver = new ValidReadySource(model, stream.channel(), this::next, seed, idleProbability);
    }

    public AxiStream stream() {
        return stream;
    }

    /** Queues a frame; see {@link #check}. */
    public AxiStreamSource send(AxiFrame frame) {
        return send(frame, null);
    }

    /**
     * Queues a frame with a label (a job's id) that {@link #stalledFrame()} names.
     *
     * @throws IllegalArgumentException when the interface cannot carry it ({@link #check})
     */
    public AxiStreamSource send(AxiFrame frame, String label) {
        String why = check(frame);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        queue.addLast(frame);
        labels.addLast(label == null ? "#" + framesQueued : label);
        framesQueued++;
        return this;
    }

    /** Why this interface cannot carry the frame, or null when it can. */
    public String check(AxiFrame frame) {
        int n = frame.length();
        if (n == 0) {
            return stream.prefix() + ": an empty frame (no bytes) cannot be sent";
        }
        if (stream.keepField() < 0 && n % stream.dataBytes() != 0) {
            return stream.prefix() + " has no tkeep, so a frame is whole beats of " + stream.dataBytes()
                    + " bytes; this one has " + n;
        }
        if (stream.lastField() < 0 && n != stream.dataBytes()) {
            return stream.prefix() + " has no tlast, so a frame is one beat of " + stream.dataBytes()
                    + " bytes; this one has " + n;
        }
        for (String[] f : new String[][] {{"user", "_tuser"}, {"id", "_tid"}, {"dest", "_tdest"}}) {
            long v = switch (f[0]) {
                case "user" -> frame.user();
                case "id" -> frame.id();
                default -> frame.dest();
            };
            int field = switch (f[0]) {
                case "user" -> stream.userField();
                case "id" -> stream.idField();
                default -> stream.destField();
            };
            if (v != 0 && field < 0) {
                return stream.prefix() + " has no " + stream.prefix() + f[1] + " port for the frame's " + f[0];
            }
        }
        return null;
    }

    private boolean next(long[] beat) {
        if (current == null) {
            current = queue.pollFirst();
            currentLabel = labels.pollFirst();
            offset = 0;
            if (current == null) {
                return false;
            }
            framesOffered++;
        }
        java.util.Arrays.fill(beat, 0);
        byte[] data = current.data();
        int lanes = stream.dataBytes();
        int n = Math.min(lanes, data.length - offset);
        int at = stream.at(0);
        for (int i = 0; i < n; i++) {
            beat[at + i / 8] |= (data[offset + i] & 0xFFL) << (8 * (i % 8));
        }
        if (stream.keepField() >= 0) {
            int k = stream.at(stream.keepField());
            for (int i = 0; i < n; i++) {
                beat[k + i / 64] |= 1L << (i % 64);
            }
        }
        offset += n;
        boolean last = offset == data.length;
        if (stream.lastField() >= 0) {
            beat[stream.at(stream.lastField())] = last ? 1 : 0;
        }
        if (stream.userField() >= 0) {
            beat[stream.at(stream.userField())] = current.user();
        }
        if (stream.idField() >= 0) {
            beat[stream.at(stream.idField())] = current.id();
        }
        if (stream.destField() >= 0) {
            beat[stream.at(stream.destField())] = current.dest();
        }
        if (last) {
            current = null;
        }
        return true;
    }

    @Override
    public void beforeEdge(long cycle) {
        driver.beforeEdge(cycle);
    }

    @Override
    public void sample(long cycle) {
        driver.sample(cycle);
    }

    @Override
    public void afterEdge(long cycle) {
        driver.afterEdge(cycle);
    }

    /** Whether every frame queued was taken by the model. */
    public boolean done() {
        return queue.isEmpty() && current == null && !driver.busy();
    }

    /** Beats taken by the model. */
    public long beatsSent() {
        return driver.sent();
    }

    /** Frames wholly taken by the model. */
    public long framesSent() {
        return framesOffered - (current != null || driver.busy() ? 1 : 0);
    }

    /** Whether a beat is offered and not taken yet. */
    public boolean stalled() {
        return driver.busy();
    }

    /** The cycle the beat offered now was first offered. */
    public long stalledSince() {
        return driver.offeredSince();
    }

    /** The label of the frame being sent, or null. */
    public String stalledFrame() {
        return current != null || driver.busy() ? currentLabel : null;
    }

    /** Frames queued and not wholly taken. */
    public int framesPending() {
        return queue.size() + (current != null || driver.busy() ? 1 : 0);
    }
}
