package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes frames from a model's AXI-stream output, with seeded random back-pressure
 * ({@link ValidReadySink} does the handshake): the bytes of each beat its {@code tkeep}
 * keeps (every lane without one), a frame ending at {@code tlast} (every beat a frame
 * without one), {@code tuser} of the last beat, {@code tid}/{@code tdest} of the first,
 * and the cycles of the first and last beat. Frames go to a consumer as they complete,
 * and are kept in {@link #frames()}. Add it to a {@link Testbench}.
 */
public final class AxiStreamSink implements BusAgent {
    private final AxiStream stream;
    private final ValidReadySink driver;
    private final Consumer<AxiFrame> consumer;
    private final List<AxiFrame> frames = new ArrayList<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long firstCycle = -1;
    private long id;
    private long dest;
    private long lastBeatCycle = -1;

    public AxiStreamSink(HardwareModel model, AxiStream stream, long seed, double backpressure) {
        this(model, stream, seed, backpressure, f -> {
        });
    }

    /** @param consumer gets each frame as its last beat moves */
    public AxiStreamSink(HardwareModel model, AxiStream stream, long seed, double backpressure,
                         Consumer<AxiFrame> consumer) {
        if (stream.isInput()) {
            throw new IllegalArgumentException(stream.prefix() + " is an input of " + model.block()
                    + "; a sink takes an output stream");
        }
        this.stream = stream;
        this.consumer = consumer;
        this.driver = new ValidReadySink(model, stream.channel(), this::beat, seed, backpressure);
    }

    private AxiStreamSink(HardwareModel model, AxiStream stream, Consumer<AxiFrame> consumer) {
        this.stream = stream;
        this.consumer = consumer;
        this.driver = ValidReadySink.monitor(model, stream.channel(), this::beat);
    }

    /**
     * A monitor of any AXI-stream of the model, input or output: drives nothing, collects the
     * frames that move (as a sink does) while a source, a sink or the model drives the bus.
     */
    public static AxiStreamSink monitor(HardwareModel model, AxiStream stream, Consumer<AxiFrame> consumer) {
        return new AxiStreamSink(model, stream, consumer);
    }

    public AxiStream stream() {
        return stream;
    }

    private void beat(long[] beat, long cycle) {
        int lanes = stream.dataBytes();
        int at = stream.at(0);
        int k = stream.keepField() >= 0 ? stream.at(stream.keepField()) : -1;
        if (partial.size() == 0 && firstCycle < 0) {
            firstCycle = cycle;
            id = stream.idField() >= 0 ? beat[stream.at(stream.idField())] : 0;
            dest = stream.destField() >= 0 ? beat[stream.at(stream.destField())] : 0;
        }
        for (int i = 0; i < lanes; i++) {
            if (k < 0 || (beat[k + i / 64] >>> (i % 64) & 1) != 0) {
                partial.write((int) (beat[at + i / 8] >>> (8 * (i % 8))));
            }
        }
        lastBeatCycle = cycle;
        boolean last = stream.lastField() < 0 || beat[stream.at(stream.lastField())] != 0;
        if (last) {
            long user = stream.userField() >= 0 ? beat[stream.at(stream.userField())] : 0;
            AxiFrame f = new AxiFrame(partial.toByteArray(), user, id, dest, firstCycle, cycle);
            partial.reset();
            firstCycle = -1;
            frames.add(f);
            consumer.accept(f);
        }
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

    /** Every frame completed so far, in the order they left. */
    public List<AxiFrame> frames() {
        return List.copyOf(frames);
    }

    /** Whether a frame has begun (a beat without tlast moved) and not ended. */
    public boolean inFrame() {
        return firstCycle >= 0;
    }

    /** The cycle the frame in progress began, or -1. */
    public long frameStartedAt() {
        return firstCycle;
    }

    /** The cycle of the last beat taken, or -1. */
    public long lastBeatCycle() {
        return lastBeatCycle;
    }

    public long beatsReceived() {
        return driver.received();
    }
}
