package dev.andromeda.testbed.hw;

import dev.andromeda.testbed.hw.tools.ExternalTool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waveform files, the same for every backend:
 * <ul>
 *   <li>one time base: {@code $timescale 1ps}, a rising edge of the clock at every multiple of
 *       the block's modelled clock period ({@link #clockPeriodPs}: its synthesis clock for the
 *       built-in blocks, 4 ns -- 250 MHz -- for any other), the falling edge half a period
 *       before; cycle {@code c} of a model ends at {@code c * period};</li>
 *   <li>a file named {@code *.fst} is written as VCD beside it and converted by GTKWave's
 *       {@code vcd2fst} when the waveform is closed ({@link #finish}); anything else is VCD.</li>
 * </ul>
 */
public final class Waveforms {
    /** The modelled clock of a block without synthesis figures: 250 MHz. */
    public static final long DEFAULT_PERIOD_PS = 4_000;

    private Waveforms() {
    }

    /** The file's absolute path, its parent directory created. */
    public static Path prepare(Path file) {
        Path abs = file.toAbsolutePath();
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of waveform " + abs, e);
        }
        return abs;
    }

    /** The clock period a block's waveforms are drawn at, in picoseconds. */
    public static long clockPeriodPs(String block) {
        try {
            return Math.round(1e6 / BlockClocks.mhz(block));
        } catch (IllegalArgumentException unknown) {
            return DEFAULT_PERIOD_PS;
        }
    }

    /** Whether the file is to be FST (by its name). */
    public static boolean isFst(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".fst");
    }

    /**
     * Where a backend writes the VCD text for {@code file}: the file itself, or for an FST
     * file a VCD beside it that {@link #finish} converts. The parent directory is created.
     *
     * @throws IllegalStateException for an FST file when vcd2fst is not installed (said before the run)
     */
    public static Path vcdFor(Path file) {
        Path abs = prepare(file);
        if (!isFst(abs)) {
            return abs;
        }
        String cause = ExternalTool.unavailabilityCause("gtkwave", "vcd2fst");
        if (cause != null) {
            throw new IllegalStateException("cannot write " + abs.getFileName() + " as FST: " + cause);
        }
        return abs.resolveSibling(abs.getFileName() + ".vcd.tmp");
    }

    /** After the VCD for {@code file} was closed: converts it to FST when {@code file} is one. */
    public static void finish(Path file) {
        Path abs = file.toAbsolutePath();
        if (!isFst(abs)) {
            return;
        }
        Path vcd = abs.resolveSibling(abs.getFileName() + ".vcd.tmp");
        try {
            Process p = new ProcessBuilder("vcd2fst", vcd.toString(), abs.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("vcd2fst ran past 300 s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(abs)) {
                throw new IOException("vcd2fst could not write " + abs + ": " + output.strip());
            }
            Files.deleteIfExists(vcd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot convert " + vcd + " to FST: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + abs, e);
        }
    }
}
