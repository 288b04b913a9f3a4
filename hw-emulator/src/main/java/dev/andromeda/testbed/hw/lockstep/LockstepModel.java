package dev.andromeda.testbed.hw.lockstep;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs two models of one block side by side -- typically the Java cycle model
 * and the Verilated RTL -- on the same inputs, and compares every output after
 * every cycle. Reads come from the reference, so a driver on a lockstep model
 * behaves exactly as on the reference alone.
 *
 * <p>Every input change is logged. On the first divergence both models are
 * built anew from their factories, the log is replayed, and both waveforms are
 * written for the cycles around the divergence; then {@link DivergenceException}
 * names the cycle, the port, both values and the two files.
 */
public final class LockstepModel implements HardwareModel {
    private final Supplier<HardwareModel> referenceFactory;
    private final Supplier<HardwareModel> deviceFactory;
    private final HardwareModel reference;
    private final HardwareModel device;
    private final int[] deviceHandle;
    private final int[] outputs;
    private final Path waveDir;
    private final int window;
    private final long startCycle;
    // Input log: (cycle << 16 | handle, value) pairs.
    private long[] log = new long[1 << 12];
    private int logSize;

    /**
     * @param waveDir where to write waveforms on divergence, or null for none
     * @param window  cycles of waveform before and after the divergence
     */
    public LockstepModel(Supplier<HardwareModel> referenceFactory, Supplier<HardwareModel> deviceFactory,
                         Path waveDir, int window) {
        this.referenceFactory = referenceFactory;
        this.deviceFactory = deviceFactory;
        this.reference = referenceFactory.get();
        this.device = deviceFactory.get();
        this.waveDir = waveDir;
        this.window = window;
        List<PortInfo> ref = reference.ports();
        deviceHandle = new int[ref.size()];
        List<Integer> outs = new ArrayList<>();
        for (PortInfo p : ref) {
            deviceHandle[p.handle()] = device.port(p.name());
            PortInfo d = device.ports().get(deviceHandle[p.handle()]);
            if (d.width() != p.width() || d.direction() != p.direction()) {
                throw new IllegalArgumentException("port " + p.name() + " differs: " + p + " vs " + d);
            }
            if (p.direction() == PortDirection.OUT) {
                outs.add(p.handle());
            }
        }
        outputs = outs.stream().mapToInt(Integer::intValue).toArray();
        if (reference.cycle() != device.cycle()) {
            throw new IllegalArgumentException("models start at different cycles: " + reference.cycle() + " vs "
                    + device.cycle());
        }
        startCycle = reference.cycle();
        compare();
    }

    @Override
    public String block() {
        return reference.block();
    }

    @Override
    public String backend() {
        return reference.backend() + "|" + device.backend();
    }

    @Override
    public List<PortInfo> ports() {
        return reference.ports();
    }

    @Override
    public void set(int port, long value) {
        reference.set(port, value);
        device.set(deviceHandle[port], value);
        if (logSize + 2 > log.length) {
            log = Arrays.copyOf(log, log.length * 2);
        }
        log[logSize++] = (reference.cycle() - startCycle) << 16 | port;
        log[logSize++] = value;
    }

    @Override
    public long get(int port) {
        return reference.get(port);
    }

    /** Lockstep runs blocks whose ports are at most 64 bits wide; the low word is used. */
    @Override
    public void setWide(int port, long[] words) {
        set(port, words.length == 0 ? 0 : words[0]);
    }

    @Override
    public void getWide(int port, long[] words) {
        reference.getWide(port, words);
    }

    @Override
    public void settle() {
        reference.settle();
        device.settle();
    }

    @Override
    public void step(long cycles) {
        for (long i = 0; i < cycles; i++) {
            reference.step(1);
            device.step(1);
            compare();
        }
    }

    private void compare() {
        for (int h : outputs) {
            long r = reference.get(h);
            long d = device.get(deviceHandle[h]);
            if (r != d) {
                diverged(h, r, d);
            }
        }
    }

    private void diverged(int handle, long r, long d) {
        long at = reference.cycle() - startCycle;
        String port = reference.ports().get(handle).name();
        List<Path> waves = waveDir == null ? List.of() : replayWithWaveforms(at);
        throw new DivergenceException(String.format(
                "%s: %s and %s diverge at lockstep cycle %d on %s: 0x%x vs 0x%x%s", block(), reference.backend(),
                device.backend(), at, port, r, d, waves.isEmpty() ? "" : "; waveforms " + waves), at, port, waves);
    }

    /** Rebuilds both models, replays the input log, and writes waveforms around cycle {@code at}. */
    private List<Path> replayWithWaveforms(long at) {
        Path refWave = waveDir.resolve(block() + "-" + reference.backend() + ".vcd");
        Path devWave = waveDir.resolve(block() + "-" + device.backend() + ".vcd");
        try (HardwareModel r = referenceFactory.get(); HardwareModel d = deviceFactory.get()) {
            long from = Math.max(0, at - window);
            long until = at + window;
            int next = 0;
            for (long c = 0; c <= until; c++) {
                if (c == from) {
                    r.traceOn(refWave);
                    d.traceOn(devWave);
                }
                while (next < logSize && (log[next] >>> 16) == c) {
                    int h = (int) (log[next] & 0xFFFF);
                    r.set(h, log[next + 1]);
                    d.set(deviceHandle[h], log[next + 1]);
                    next += 2;
                }
                r.step(1);
                d.step(1);
            }
            r.traceOff();
            d.traceOff();
        }
        return List.of(refWave, devWave);
    }

    @Override
    public void reset(int cycles) {
        // Resets go through set(), so they are logged and replayed like any input: the reference's
        // reset port and polarity (a user's top may have an active-low aresetn, or no reset).
        String name = reference.resetPort();
        if (name == null) {
            step(cycles);
            return;
        }
        int rst = port(name);
        long asserted = reference.resetActiveLow() ? 0 : 1;
        set(rst, asserted);
        step(cycles);
        set(rst, asserted ^ 1);
    }

    @Override
    public String resetPort() {
        return reference.resetPort();
    }

    @Override
    public boolean resetActiveLow() {
        return reference.resetActiveLow();
    }

    @Override
    public long cycle() {
        return reference.cycle();
    }

    @Override
    public void traceOn(Path vcd) {
        reference.traceOn(vcd);
    }

    @Override
    public void traceOff() {
        reference.traceOff();
    }

    @Override
    public void close() {
        try {
            reference.close();
        } finally {
            device.close();
        }
    }
}
