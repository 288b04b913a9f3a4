package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

import java.util.SplittableRandom;

/**
 * Takes beats from a model's valid/ready output channel into a
 * {@link BeatSink}, holding ready low on seeded random cycles (back-pressure).
 * A channel without a ready port cannot be held back: every valid beat is taken.
 */
public final class ValidReadySink implements BusAgent {
    private final HardwareModel model;
    private final Channel channel;
    private final BeatSink sink;
    private final SplittableRandom random;
    private final double backpressureProbability;
    private final long[] beat;
    private final long[][] scratch;
    private final boolean passive;
    private boolean ready;
    private boolean fires;
    private long received;

    public ValidReadySink(HardwareModel model, Channel channel, BeatSink sink,
                          long seed, double backpressureProbability) {
        this(model, channel, sink, seed, backpressureProbability, false);
    }

    /**
     * A monitor: watches a channel someone else drives (ready included) and hands on every
     * beat that moves, driving nothing.
     */
    public static ValidReadySink monitor(HardwareModel model, Channel channel, BeatSink sink) {
        return new ValidReadySink(model, channel, sink, 0, 0, true);
    }

    private ValidReadySink(HardwareModel model, Channel channel, BeatSink sink,
                           long seed, double backpressureProbability, boolean passive) {
        this.passive = passive;
        this.model = model;
        this.channel = channel;
        this.sink = sink;
        this.random = new SplittableRandom(seed);
        this.backpressureProbability = backpressureProbability;
        this.beat = new long[channel.beatWords()];
        this.scratch = channel.scratch();
    }

    @Override
    public void beforeEdge(long cycle) {
        if (passive) {
            return;
        }
        ready = backpressureProbability == 0 || random.nextDouble() >= backpressureProbability;
        if (channel.ready() >= 0) {
            model.set(channel.ready(), ready ? 1 : 0);
        } else {
            ready = true;
        }
    }

    @Override
    public void sample(long cycle) {
        if (passive) {
            ready = channel.ready() < 0 || model.get(channel.ready()) != 0;
        }
        fires = ready && model.get(channel.valid()) != 0;
        if (fires) {
            channel.read(model, beat, scratch);
        }
    }

    @Override
    public void afterEdge(long cycle) {
        if (fires) {
            received++;
            sink.accept(beat, cycle);
        }
    }

    public long received() {
        return received;
    }
}
