package dev.andromeda.testbed.hw.replay;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model that writes down, cycle by cycle, every input it was given before a rising edge and
 * every output it showed after it: a trace another simulator can be held to
 * ({@link IcarusReplay}). One line a cycle, each port as fixed-width hex, inputs (clock aside)
 * then outputs, in {@link #ports()} order.
 *
 * <p>Reset goes through the trace like any other input ({@code rst} high for the cycles asked),
 * so a replay starts the second simulator from the same reset.
 */
public final class TraceRecorder implements HardwareModel {
    private final HardwareModel model;
    private final List<PortInfo> inputs;
    private final List<PortInfo> outputs;
    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder();
    private long[] wide = new long[2];
    private long cycles;

    public TraceRecorder(HardwareModel model, Path trace) {
        this.model = model;
        this.inputs = inputsOf(model);
        this.outputs = outputsOf(model);
        try {
            this.out = Files.newBufferedWriter(trace);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + trace, e);
        }
    }

    /** The inputs a trace carries: every input but the clock, in port order. */
    public static List<PortInfo> inputsOf(HardwareModel m) {
        return m.ports().stream().filter(p -> p.direction() == PortDirection.IN && !p.name().equals("clk")).toList();
    }

    /** The outputs a trace carries, in port order. */
    public static List<PortInfo> outputsOf(HardwareModel m) {
        return m.ports().stream().filter(p -> p.direction() == PortDirection.OUT).toList();
    }

    /** Cycles written so far. */
    public long cycles() {
        return cycles;
    }

    private void append(PortInfo p) {
        int words = (p.width() + 63) / 64;
        if (p.isWide()) {
            if (wide.length < words) {
                wide = new long[words];
            }
            model.getWide(p.handle(), wide);
        } else {
            wide[0] = model.get(p.handle());
        }
        int digits = (p.width() + 3) / 4;
        // Most significant digit first, as $fscanf's %h reads it.
        for (int d = digits - 1; d >= 0; d--) {
            int nibble = (int) (wide[d / 16] >>> (4 * (d % 16))) & 0xF;
            line.append(Character.forDigit(nibble, 16));
        }
        line.append(' ');
    }

    @Override
    public void step(long n) {
        for (long i = 0; i < n; i++) {
            line.setLength(0);
            for (PortInfo p : inputs) {
                append(p);
            }
            model.step(1);
            for (PortInfo p : outputs) {
                append(p);
            }
            line.setCharAt(line.length() - 1, '\n');
            try {
                out.append(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cycles++;
        }
    }

    @Override
    public void reset(int n) {
        int rst = model.port("rst");
        model.set(rst, 1);
        step(n);
        model.set(rst, 0);
    }

    @Override
    public String block() {
        return model.block();
    }

    @Override
    public String backend() {
        return model.backend();
    }

    @Override
    public List<PortInfo> ports() {
        return model.ports();
    }

    @Override
    public void set(int port, long value) {
        model.set(port, value);
    }

    @Override
    public long get(int port) {
        return model.get(port);
    }

    @Override
    public void setWide(int port, long[] words) {
        model.setWide(port, words);
    }

    @Override
    public void getWide(int port, long[] words) {
        model.getWide(port, words);
    }

    @Override
    public long cycle() {
        return model.cycle();
    }

    @Override
    public void settle() {
        model.settle();
    }

    @Override
    public void traceOn(Path vcd) {
        model.traceOn(vcd);
    }

    @Override
    public void traceOff() {
        model.traceOff();
    }

    /** Closes the trace file; the model stays open (its owner closes it). */
    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
