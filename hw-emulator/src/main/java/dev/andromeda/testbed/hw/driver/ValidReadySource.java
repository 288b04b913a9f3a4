package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

import java.util.SplittableRandom;

/**
 * Drives a model's valid/ready input channel from a {@link BeatSource}, with
 * seeded random idle cycles between beats. Follows the AXI rule the checker
 * enforces: once valid is high it stays high, with the same payload, until
 * the beat is taken. Fields wider than 64 bits take several words of a beat
 * ({@link Channel#offset}); a channel without a ready port takes every beat offered.
 */
public final class ValidReadySource implements BusAgent {
    private final HardwareModel model;
    private final Channel channel;
    private final BeatSource source;
    private final SplittableRandom random;
    private final double idleProbability;
    private final long[] beat;
    private final long[][] scratch;
    private boolean holding;
    private boolean fires;
    private long sent;
    private long lastFireCycle = -1;
    private long offeredSince = -1;

    /**
     * @param idleProbability chance, each cycle with no beat pending, of
     *                        presenting nothing even though a beat is ready
     */
    public ValidReadySource(HardwareModel model, Channel channel, BeatSource source,
                            long seed, double idleProbability) {
        this.model = model;
        this.channel = channel;
        this.source = source;
        this.random = new SplittableRandom(seed);
        this.idleProbability = idleProbability;
        this.beat = new long[channel.beatWords()];
        this.scratch = channel.scratch();
    }

    @Override
    public void beforeEdge(long cycle) {
        if (!holding && (idleProbability == 0 || random.nextDouble() >= idleProbability)) {
            holding = source.next(beat);
            if (holding) {
                channel.drive(model, beat, scratch);
                offeredSince = cycle;
            }
        }
        model.set(channel.valid(), holding ? 1 : 0);
    }

    @Override
    public void sample(long cycle) {
        fires = holding && (channel.ready() < 0 || model.get(channel.ready()) != 0);
    }

    @Override
    public void afterEdge(long cycle) {
        if (fires) {
            holding = false;
            sent++;
            lastFireCycle = cycle;
        }
    }

    /** Beats taken by the model so far. */
    public long sent() {
        return sent;
    }

    /** Whether a beat is presented and not yet taken. */
    public boolean busy() {
        return holding;
    }

    /** The cycle the beat presented now was first offered, when {@link #busy()}. */
    public long offeredSince() {
        return offeredSince;
    }

    /** The cycle of the last beat taken, or -1. */
    public long lastFireCycle() {
        return lastFireCycle;
    }
}
