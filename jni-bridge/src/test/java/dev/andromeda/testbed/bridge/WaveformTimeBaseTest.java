package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortInfo;
import dev.andromeda.testbed.hw.Waveforms;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.contract.ChecksumCase;
import dev.andromeda.testbed.hw.tools.ExternalTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 point 6: the Java model's and the RTL's waveforms on one time base. The same
 * checksum jobs run on {@code emu} and on the RTL, each traced from before its reset to an
 * FST file; GTKWave's {@code fst2vcd} -- a reader of neither backend -- reads both back, and
 * every port must have the same value at every rising edge, at the same picosecond times
 * (the block's modelled clock period), with each time stamped once and the reset in the trace.
 */
class WaveformTimeBaseTest {

    @BeforeAll
    static void needsGtkwave() {
        String cause = ExternalTool.unavailabilityCause("gtkwave", "fst2vcd", "vcd2fst");
        Backends.requireTool("GTKWave's tools", cause);
    }

    /** A waveform as fst2vcd prints it: the timescale, and each named signal's changes by time. */
    record Wave(String timescale, List<Long> times, Map<String, TreeMap<Long, BigInteger>> signals) {
        /** The value at time t (the last change at or before it). */
        BigInteger at(String signal, long t) {
            var e = signals.get(signal).floorEntry(t);
            return e == null ? null : e.getValue();
        }
    }

    static Wave read(Path fst, Path dir) throws Exception {
        ExternalTool.Run r = ExternalTool.run(List.of("fst2vcd", fst.toString()), dir, 120);
        assertThat(r.exitCode()).as(r.output()).isZero();
        String timescale = null;
        Map<String, String> nameOfId = new HashMap<>();
        Map<String, TreeMap<Long, BigInteger>> signals = new HashMap<>();
        List<Long> times = new ArrayList<>();
        int depth = 0;
        long now = -1;
        String[] lines = r.output().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.startsWith("$timescale")) {
                timescale = l.replace("$timescale", "").replace("$end", "").trim();
                if (timescale.isEmpty()) {
                    timescale = lines[++i].trim();
                }
            } else if (l.startsWith("$scope")) {
                depth++;
            } else if (l.startsWith("$upscope")) {
                depth--;
            } else if (l.startsWith("$var") && depth == 1) {
                // $var wire 8 ! name [7:0] $end -- the top scope's signals: the ports (and a kit model's registers)
                String[] f = l.split("\\s+");
                nameOfId.putIfAbsent(f[3], f[4]);
                signals.putIfAbsent(f[4], new TreeMap<>());
            } else if (l.startsWith("#")) {
                now = Long.parseLong(l.substring(1));
                times.add(now);
            } else if (now >= 0 && !l.isEmpty() && !l.startsWith("$")) {
                String value;
                String id;
                if (l.charAt(0) == 'b') {
                    int sp = l.indexOf(' ');
                    value = l.substring(1, sp);
                    id = l.substring(sp + 1);
                } else {
                    value = l.substring(0, 1);
                    id = l.substring(1);
                }
                String name = nameOfId.get(id);
                if (name != null) {
                    signals.get(name).put(now, new BigInteger(value.replace('x', '0').replace('z', '0'), 2));
                }
            }
        }
        return new Wave(timescale, times, signals);
    }

    @ParameterizedTest(name = "emu and {0}")
    @ValueSource(strings = {"rtl-ffm", "rtl-jni"})
    void javaModelAndRtlWaveformsAgreeOnOneTimeBase(String rtl, @TempDir Path dir) throws Exception {
        long seed = 6006;
        long cycles = 0;
        long opened = 0;   // the backends' open() resets the block first: the trace starts there
        Map<String, Wave> waves = new HashMap<>();
        List<PortInfo> ports = null;
        for (String backend : List.of("emu", rtl)) {
            Random r = new Random(seed);
            try (Arena arena = Arena.ofConfined();
                 HardwareModel m = Backends.require(backend).open(CsumOffloadModule.BLOCK)) {
                ports = m.ports();
                MemorySegment memory = arena.allocate(8 * 2048, 64);
                CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[8];
                for (int i = 0; i < jobs.length; i++) {
                    ChecksumCase c = ChecksumCase.random("wave", r, 1 + r.nextInt(300));
                    MemorySegment.copy(c.data(), 0, memory, ValueLayout.JAVA_BYTE, 2048L * i, c.data().length);
                    jobs[i] = new CsumOffloadDriver.Job(2048L * i, c.data().length, c.start(), Math.max(0, c.insert()),
                            c.insert() >= 0, c.seed());
                }
                Path fst = dir.resolve(backend + ".fst");
                opened = m.cycle();
                m.traceOn(fst);   // before the reset: the reset and the first edge are in the trace
                m.reset(3);
                new CsumOffloadDriver(m).run(memory, jobs, seed, 0.2, 0.3);
                cycles = m.cycle();
                m.traceOff();
                waves.put(backend, read(fst, dir));
            }
        }
        long period = Waveforms.clockPeriodPs(CsumOffloadModule.BLOCK);
        assertThat(period).isEqualTo(Math.round(1e6 / dev.andromeda.testbed.hw.BlockClocks.mhz("csum_offload")));
        Wave emu = waves.get("emu");
        Wave dut = waves.get(rtl);
        for (Wave w : List.of(emu, dut)) {
            assertThat(w.timescale()).isEqualTo("1ps");
            assertThat(w.times().getFirst()).isEqualTo(opened * period);
            // Each time once, increasing: no "#8" twice, no dump Verilator would refuse.
            for (int i = 1; i < w.times().size(); i++) {
                assertThat(w.times().get(i)).isGreaterThan(w.times().get(i - 1));
            }
            assertThat(w.times().getLast()).isEqualTo(cycles * period);
            // The reset: asserted in the first cycle, released later.
            assertThat(w.at("rst", (opened + 1) * period)).isEqualTo(BigInteger.ONE);
            assertThat(w.at("rst", cycles * period)).isEqualTo(BigInteger.ZERO);
            // The first rising edge is there.
            assertThat(w.at("clk", opened * period + period / 2 + 1)).isEqualTo(BigInteger.ZERO);
            assertThat(w.at("clk", (opened + 1) * period)).isEqualTo(BigInteger.ONE);
        }
        int compared = 0;
        for (PortInfo p : ports) {
            assertThat(emu.signals()).as("emu's waveform has port " + p.name()).containsKey(p.name());
            assertThat(dut.signals()).as(rtl + "'s waveform has port " + p.name()).containsKey(p.name());
            for (long c = opened; c <= cycles; c++) {
                long t = c * period;
                assertThat(dut.at(p.name(), t)).as("%s at cycle %d (%d ps): %s vs emu", p.name(), c, t, rtl)
                        .isEqualTo(emu.at(p.name(), t));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(1000);
    }
}
