package dev.andromeda.testbed.tb.sim;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.driver.AxiStream;
import dev.andromeda.testbed.hw.driver.AxiStreamSink;
import dev.andromeda.testbed.hw.driver.AxiStreamSource;
import dev.andromeda.testbed.hw.driver.Testbench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The engine of {@code tb sim}: frames from a {@link FrameFile} into a model's AXI-stream
 * inputs (found by port prefix), every frame leaving its AXI-stream outputs handed on as it
 * leaves, with seeded random idle cycles and back-pressure, a protocol checker on every
 * stream, until every input frame was taken and the outputs stayed quiet for
 * {@link Options#drainCycles} -- or the cycle limit, which ends the run as a
 * {@link Result#timeout} naming the cycle and the stream that stalled.
 */
public final class StreamSim {
    /**
     * @param resetCycles cycles the model's reset is held at the start (0: none)
     * @param drainCycles cycles without a beat on any stream, after the last input frame, that end the run
     */
    public record Options(long seed, double idle, double backpressure, long cyclesLimit, long drainCycles,
                          int resetCycles, Path wave) {
    }

    /**
     * @param timeout null when the run ended cleanly, else the one-line reason
     */
    public record Result(int framesIn, int framesOut, long cycles, String timeout, List<AxiStream> inputs,
                         List<AxiStream> outputs) {
    }

    private StreamSim() {
    }

    /** The model's AXI-stream inputs and outputs, by port order. */
    public static List<AxiStream> streams(HardwareModel model) {
        return AxiStream.find(model);
    }

    /**
     * Checks every entry against the model's streams before anything runs.
     *
     * @return null, or "line N: why" for the first entry the model cannot take
     */
    public static String check(HardwareModel model, List<FrameFile.Entry> entries) {
        List<AxiStream> all = streams(model);
        Map<String, AxiStream> inputs = new LinkedHashMap<>();
        for (AxiStream s : all) {
            if (s.isInput()) {
                inputs.put(s.prefix(), s);
            }
        }
        String known = inputs.isEmpty() ? "none" : String.join(", ", inputs.keySet());
        for (FrameFile.Entry e : entries) {
            String where = "line " + e.line() + " (" + e.label() + "): ";
            if (inputs.isEmpty()) {
                return where + model.block() + " has no AXI-stream input (<prefix>_tdata and <prefix>_tvalid inputs)";
            }
            if (e.stream() == null && inputs.size() != 1) {
                return where + "no 'stream'; " + model.block() + " has " + inputs.size() + " input streams: " + known;
            }
            String name = e.stream() != null ? e.stream() : inputs.keySet().iterator().next();
            AxiStream s = inputs.get(name);
            if (s == null) {
                boolean isOutput = all.stream().anyMatch(o -> o.prefix().equals(name));
                return where + "unknown stream '" + name + "'" + (isOutput ? " (an output of " + model.block() + ")" : "")
                        + "; input streams of " + model.block() + ": " + known;
            }
            String missing = e.hasUser() && s.userField() < 0 ? "user" : e.hasId() && s.idField() < 0 ? "id_field"
                    : e.hasDest() && s.destField() < 0 ? "dest" : null;
            if (missing != null) {
                String port = name + (missing.equals("user") ? "_tuser" : missing.equals("id_field") ? "_tid" : "_tdest");
                return where + "'" + missing + "' given but " + model.block() + " has no input " + port;
            }
            String why = new AxiStreamSource(model, s, 0, 0).check(e.frame());
            if (why != null) {
                return where + why;
            }
        }
        return null;
    }

    /**
     * Runs the frames through the model (checked by {@link #check} first).
     *
     * @param out gets every frame that leaves an output, with its stream, in the order they leave
     * @throws dev.andromeda.testbed.hw.driver.ProtocolViolation when the model breaks the AXI-stream rules
     */
    public static Result run(HardwareModel model, List<FrameFile.Entry> entries, Options o,
                             BiConsumer<AxiStream, AxiFrame> out) {
        List<AxiStream> all = streams(model);
        SplittableRandom seeds = new SplittableRandom(o.seed());
        Map<String, AxiStreamSource> sources = new LinkedHashMap<>();
        List<AxiStreamSink> sinks = new ArrayList<>();
        Testbench tb = null;
        List<AxiStream> ins = all.stream().filter(AxiStream::isInput).toList();
        List<AxiStream> outs = all.stream().filter(s -> !s.isInput()).toList();
        int[] framesOut = new int[1];
        if (o.wave() != null) {
            // Before the reset, so the waveform shows it and the first edge after it.
            model.traceOn(o.wave());
        }
        try {
            for (AxiStream s : ins) {
                model.set(s.channel().valid(), 0);
            }
            if (o.resetCycles() > 0) {
                model.reset(o.resetCycles());
            }
            // Settle: a user's design may pass an input straight to an output (a ready, a valid).
            tb = new Testbench(model).settling(true);
            for (AxiStream s : ins) {
                AxiStreamSource src = new AxiStreamSource(model, s, seeds.nextLong(), o.idle());
                sources.put(s.prefix(), src);
                tb.add(src);
            }
            for (AxiStream s : outs) {
                AxiStreamSink sink = new AxiStreamSink(model, s, seeds.nextLong(), o.backpressure(), f -> {
                    framesOut[0]++;
                    out.accept(s, f);
                });
                sinks.add(sink);
                tb.add(sink);
            }
            for (AxiStream s : all) {
                tb.add(s.checker(model));
            }
            String only = ins.size() == 1 ? ins.getFirst().prefix() : null;
            for (FrameFile.Entry e : entries) {
                sources.get(e.stream() != null ? e.stream() : only).send(e.frame(), e.label());
            }
            long start = tb.now();
            long lastActivity = start;
            long beats = -1;
            while (true) {
                long moved = 0;
                for (AxiStreamSource s : sources.values()) {
                    moved += s.beatsSent();
                }
                for (AxiStreamSink s : sinks) {
                    moved += s.beatsReceived();
                }
                if (moved != beats) {
                    beats = moved;
                    lastActivity = tb.now();
                }
                boolean inputsDone = sources.values().stream().allMatch(AxiStreamSource::done);
                boolean outputsIdle = sinks.stream().noneMatch(AxiStreamSink::inFrame);
                if (inputsDone && outputsIdle && tb.now() - lastActivity >= o.drainCycles()) {
                    return new Result(entries.size(), framesOut[0], tb.now(), null, ins, outs);
                }
                if (tb.now() - start >= o.cyclesLimit()) {
                    return new Result(entries.size(), framesOut[0], tb.now(),
                            stalled(tb.now(), o.cyclesLimit(), sources, sinks), ins, outs);
                }
                tb.cycle();
            }
        } finally {
            if (o.wave() != null) {
                model.traceOff();
            }
        }
    }

    /** Which stream held the run up, in one line. */
    private static String stalled(long now, long limit, Map<String, AxiStreamSource> sources, List<AxiStreamSink> sinks) {
        String head = "no end after " + limit + " cycles (--cycles-limit), at cycle " + now + ": ";
        for (AxiStreamSource s : sources.values()) {
            if (s.stalled()) {
                return head + s.stream().prefix() + " stalled: frame '" + s.stalledFrame() + "' offered since cycle "
                        + s.stalledSince() + " and not taken (" + s.stream().prefix() + "_tready low), "
                        + s.framesPending() + " frame(s) not sent";
            }
        }
        for (AxiStreamSink s : sinks) {
            if (s.inFrame()) {
                return head + s.stream().prefix() + " stalled: a frame begun at cycle " + s.frameStartedAt()
                        + " has not ended (no " + s.stream().prefix() + "_tlast; its last beat at cycle "
                        + s.lastBeatCycle() + ")";
            }
        }
        String pending = sources.values().stream().filter(s -> !s.done())
                .map(s -> s.stream().prefix() + " " + s.framesPending() + " frame(s)").collect(Collectors.joining(", "));
        if (!pending.isEmpty()) {
            return head + "frames still to send: " + pending;
        }
        String busy = sinks.stream().map(s -> s.stream().prefix() + " last beat at cycle " + s.lastBeatCycle())
                .collect(Collectors.joining(", "));
        return head + "the outputs never went quiet (" + busy + ")";
    }
}
