package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

import java.util.SplittableRandom;

/**
 * Takes beats from a model's valid/ready output channel into a
 * {@link BeatSink}, holding ready low on seeded random cycles (back-pressure).
 */
public final class ValidReadySink implements BusAgent {
    private final HardwareModel model;
    private final Channel channel;
    private final BeatSink sink;
    private final SplittableRandom random;
    private final double backpressureProbability;
    private final long[] beat;
    private boolean fires;
    private long received;

    public ValidReadySink(HardwareModel model, Channel channel, BeatSink sink,
                          long seed, double backpressureProbability) {
        this.model = model;
        this.channel = channel;
        this.sink = sink;
        this.random = new SplittableRandom(seed);
        this.backpressureProbability = backpressureProbability;
        this.beat = new long[channel.width()];
    }

    @Override
    public void beforeEdge(long cycle) {
        boolean ready = backpressureProbability == 0 || random.nextDouble() >= backpressureProbability;
        model.set(channel.ready(), ready ? 1 : 0);
        fires = ready && model.get(channel.valid()) != 0;
        if (fires) {
            int[] f = channel.fields();
            for (int i = 0; i < f.length; i++) {
                beat[i] = model.get(f[i]);
            }
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
