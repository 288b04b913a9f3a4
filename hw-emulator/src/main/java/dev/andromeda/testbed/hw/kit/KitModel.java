package dev.andromeda.testbed.hw.kit;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Module} as a {@link HardwareModel} -- the {@code emu} backend.
 * Cycle semantics match the Verilated models: inputs are sampled at the
 * rising edge, outputs change right after it.
 */
public final class KitModel implements HardwareModel {
    private final Module module;
    private final Signal[] ports;
    private final List<PortInfo> infos;
    private final Input rst;
    private long cycle;
    private VcdWriter vcd;
    private Path waveFile;
    private long period;

    public KitModel(Module module) {
        this.module = module;
        List<Signal> p = new ArrayList<>();
        List<PortInfo> i = new ArrayList<>();
        // Handle 0 is the clock, as in the Verilated models' port tables.
        i.add(new PortInfo(0, "clk", 1, PortDirection.IN));
        p.add(null);
        Input reset = null;
        for (Signal s : module.ports()) {
            i.add(new PortInfo(i.size(), s.name(), s.width(),
                    s instanceof Input ? PortDirection.IN : PortDirection.OUT));
            p.add(s);
            if (s instanceof Input in && in.name().equals("rst")) {
                reset = in;
            }
        }
        this.ports = p.toArray(new Signal[0]);
        this.infos = List.copyOf(i);
        this.rst = reset;
        module.driveAll();
    }

    public Module module() {
        return module;
    }

    @Override
    public String block() {
        return module.name();
    }

    @Override
    public String backend() {
        return "emu";
    }

    @Override
    public List<PortInfo> ports() {
        return infos;
    }

    @Override
    public void set(int port, long value) {
        if (ports[port] instanceof Input in) {
            in.drive(value);
        } else {
            throw new IllegalArgumentException(infos.get(port).name() + " is not a settable input");
        }
    }

    @Override
    public long get(int port) {
        Signal s = ports[port];
        return s == null ? cycle & 1 : s.get();
    }

    @Override
    public void setWide(int port, long[] words) {
        set(port, words[0]);
    }

    @Override
    public void getWide(int port, long[] words) {
        words[0] = get(port);
        for (int i = 1; i < words.length; i++) {
            words[i] = 0;
        }
    }

    @Override
    public void step(long cycles) {
        VcdWriter w = vcd;
        if (w == null) {
            for (long i = 0; i < cycles; i++) {
                module.cycle();
            }
            cycle += cycles;
        } else {
            long p = period;
            for (long i = 0; i < cycles; i++) {
                w.dump(cycle * p + p / 2, false);
                module.cycle();
                cycle++;
                w.dump(cycle * p, true);
            }
        }
    }

    @Override
    public void reset(int cycles) {
        if (rst == null) {
            throw new IllegalStateException(block() + " has no rst input");
        }
        rst.drive(1);
        step(cycles);
        rst.drive(0);
    }

    @Override
    public long cycle() {
        return cycle;
    }

    @Override
    public void traceOn(Path file) {
        traceOff();
        List<Signal> signals = new ArrayList<>(module.ports());
        signals.addAll(module.registers());
        period = dev.andromeda.testbed.hw.Waveforms.clockPeriodPs(block());
        vcd = new VcdWriter(dev.andromeda.testbed.hw.Waveforms.vcdFor(file), module.name(), signals);
        waveFile = file;
        // The state now, at the time of the last rising edge: the next dump is the falling edge after it.
        vcd.dump(cycle * period, true);
    }

    @Override
    public void traceOff() {
        if (vcd != null) {
            vcd.close();
            vcd = null;
            dev.andromeda.testbed.hw.Waveforms.finish(waveFile);
        }
    }

    /** Recomputes the outputs from the inputs now (a module's output logic may read its inputs). */
    @Override
    public void settle() {
        module.driveAll();
    }

    @Override
    public void close() {
        traceOff();
    }
}
