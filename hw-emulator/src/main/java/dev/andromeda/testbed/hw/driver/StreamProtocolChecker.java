package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

/**
 * Watches a valid/ready channel and throws {@link ProtocolViolation} when a
 * rule is broken:
 * <ul>
 *   <li>valid, once high, stays high until the beat is taken;</li>
 *   <li>the payload does not change while valid is high and the beat is not taken;</li>
 *   <li>for AXI-stream (when {@code keepField >= 0}): tkeep is contiguous from
 *       lane 0 and only a beat with tlast may be partial.</li>
 * </ul>
 * It also counts beats, for the scoreboard's "nothing lost, nothing duplicated".
 * It reads in {@link #sample}, after every agent drove; fields wider than 64 bits are
 * compared word by word, and a channel without a ready port is never stalled.
 */
public final class StreamProtocolChecker implements BusAgent {
    private final HardwareModel model;
    private final Channel channel;
    private final int keepField;
    private final int lastField;
    private final long[] held;
    private final long[] now;
    private final long[][] scratch;
    private int keepWidth = -1;
    private boolean wasStalled;
    private long beats;

    /** A plain valid/ready channel. */
    public StreamProtocolChecker(HardwareModel model, Channel channel) {
        this(model, channel, -1, -1);
    }

    /**
     * @param keepField index of tkeep among the channel's fields, or -1
     * @param lastField index of tlast among the channel's fields, or -1
     */
    public StreamProtocolChecker(HardwareModel model, Channel channel, int keepField, int lastField) {
        this.model = model;
        this.channel = channel;
        this.keepField = keepField;
        this.lastField = lastField;
        this.held = new long[channel.beatWords()];
        this.now = new long[channel.beatWords()];
        this.scratch = channel.scratch();
    }

    /** An AXI-stream checker for a channel made by {@link Channel#axiStream}. */
    public static StreamProtocolChecker axiStream(HardwareModel model, Channel channel) {
        return new StreamProtocolChecker(model, channel, 1, 2);
    }

    @Override
    public void beforeEdge(long cycle) {
    }

    @Override
    public void sample(long cycle) {
        boolean valid = model.get(channel.valid()) != 0;
        boolean ready = channel.ready() < 0 || model.get(channel.ready()) != 0;
        int[] f = channel.fields();
        if (wasStalled) {
            if (!valid) {
                throw new ProtocolViolation(channel.name() + ": valid dropped before the beat was taken", cycle);
            }
            channel.read(model, now, scratch);
            for (int i = 0; i < f.length; i++) {
                int off = channel.offset(i);
                for (int w = 0; w < channel.fieldWords()[i]; w++) {
                    if (now[off + w] != held[off + w]) {
                        throw new ProtocolViolation(channel.name() + ": " + channel.fieldNames()[i]
                                + (channel.fieldWords()[i] > 1 ? " (word " + w + ")" : "")
                                + " changed from 0x" + Long.toHexString(held[off + w]) + " to 0x"
                                + Long.toHexString(now[off + w]) + " while valid was high and ready low", cycle);
                    }
                }
            }
        }
        if (valid && keepField >= 0 && keepWidthOfChannel() <= 64) {
            long keep = model.get(f[keepField]);
            boolean last = lastField >= 0 && model.get(f[lastField]) != 0;
            if ((keep & (keep + 1)) != 0) {
                throw new ProtocolViolation(channel.name() + ": tkeep 0x" + Long.toHexString(keep)
                        + " is not contiguous from lane 0", cycle);
            }
            if (lastField >= 0 && !last && Long.bitCount(keep) != keepWidthOfChannel()) {
                throw new ProtocolViolation(channel.name() + ": partial beat (tkeep 0x" + Long.toHexString(keep)
                        + ") without tlast", cycle);
            }
        }
        if (valid && !ready) {
            channel.read(model, held, scratch);
            wasStalled = true;
        } else {
            wasStalled = false;
        }
        if (valid && ready) {
            beats++;
        }
    }

    private int keepWidthOfChannel() {
        if (keepWidth < 0) {
            keepWidth = model.ports().get(channel.fields()[keepField]).width();
        }
        return keepWidth;
    }

    /** Beats that moved on the channel. */
    public long beats() {
        return beats;
    }
}
