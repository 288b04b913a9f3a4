package dev.andromeda.testbed.hw.kit;

import dev.andromeda.testbed.hw.Waveforms;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a Value Change Dump (IEEE 1364 section 18) that GTKWave and Surfer
 * open, on the time base of every backend ({@link dev.andromeda.testbed.hw.Waveforms}):
 * {@code $timescale 1ps}, times in picoseconds, so a Java model's waveform and the
 * Verilated RTL's overlay.
 */
public final class VcdWriter implements AutoCloseable {
    private final BufferedWriter out;
    private final List<Signal> signals;
    private final String[] ids;
    private final long[] last;
    private boolean first = true;

    public VcdWriter(Path file, String scope, List<Signal> signals) {
        this.signals = List.copyOf(signals);
        this.ids = new String[signals.size() + 1];
        this.last = new long[signals.size()];
        try {
            out = Files.newBufferedWriter(Waveforms.prepare(file), StandardCharsets.US_ASCII);
            out.write("$date " + java.time.ZonedDateTime.now().format(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    + " $end\n$version andromeda-testbed hw kit $end\n$timescale 1ps $end\n");
            out.write("$scope module " + scope + " $end\n");
            ids[0] = id(0);
            out.write("$var wire 1 " + ids[0] + " clk $end\n");
            for (int i = 0; i < this.signals.size(); i++) {
                Signal s = this.signals.get(i);
                ids[i + 1] = id(i + 1);
                out.write("$var wire " + s.width() + " " + ids[i + 1] + " " + s.name()
                        + (s.width() > 1 ? " [" + (s.width() - 1) + ":0]" : "") + " $end\n");
            }
            out.write("$upscope $end\n$enddefinitions $end\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write waveform " + file, e);
        }
    }

    /** Dumps the values at a time (picoseconds; each time once, increasing) with the clock level given. */
    public void dump(long time, boolean clk) {
        try {
            out.write('#');
            out.write(Long.toString(time));
            out.write('\n');
            out.write(clk ? '1' : '0');
            out.write(ids[0]);
            out.write('\n');
            for (int i = 0; i < signals.size(); i++) {
                Signal s = signals.get(i);
                long v = s.get();
                if (first || v != last[i]) {
                    last[i] = v;
                    if (s.width() == 1) {
                        out.write(v != 0 ? '1' : '0');
                    } else {
                        out.write('b');
                        out.write(Long.toBinaryString(v));
                        out.write(' ');
                    }
                    out.write(ids[i + 1]);
                    out.write('\n');
                }
            }
            first = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write waveform", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close waveform", e);
        }
    }

    /** Short printable identifiers, as VCD writers use: !, ", #, ... */
    private static String id(int n) {
        StringBuilder b = new StringBuilder();
        do {
            b.append((char) ('!' + n % 94));
            n /= 94;
        } while (n > 0);
        return b.toString();
    }
}
