package dev.andromeda.testbed.tb.bench;

import dev.andromeda.testbed.tb.report.Progress;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * JMH's output (hundreds of lines: every fork, warm-up and measurement iteration) into a log file,
 * and on the terminal only a progress bar: which benchmark of how many, which iteration. The
 * command prints its own table at the end; the log keeps everything JMH said.
 */
public final class JmhLog implements OutputFormat, AutoCloseable {
    private final OutputStream file;
    private final OutputFormat log;
    private final Progress progress = new Progress();
    private final int benchmarks;
    private int started;
    private String current = "";

    /** @param benchmarks how many benchmark runs (parameter combinations) to expect, for the bar */
    public JmhLog(Path path, int benchmarks) throws IOException {
        this.file = Files.newOutputStream(path);
        this.log = OutputFormatFactory.createFormatInstance(new PrintStream(file, true, StandardCharsets.UTF_8),
                VerboseMode.NORMAL);
        this.benchmarks = benchmarks;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        started++;
        StringBuilder label = new StringBuilder();
        for (String k : params.getParamsKeys()) {
            label.append(label.isEmpty() ? "" : " ").append(params.getParam(k));
        }
        current = started + "/" + benchmarks + " " + label;
        progress.update(current + " (fork)", started - 1, benchmarks);
        log.startBenchmark(params);
    }

    @Override
    public void iteration(BenchmarkParams b, IterationParams i, int n) {
        progress.update(current + " " + i.getType().toString().toLowerCase(java.util.Locale.ROOT) + " " + n + "/"
                + i.getCount(), started - 1, benchmarks);
        log.iteration(b, i, n);
    }

    @Override
    public void iterationResult(BenchmarkParams b, IterationParams i, int n, IterationResult r) {
        log.iterationResult(b, i, n, r);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
    }

    @Override
    public void startRun() {
        log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> results) {
        log.endRun(results);
        progress.done();
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void println(String s) {
        log.println(s);
    }

    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }

    @Override
    public void close() {
        log.flush();
        try {
            file.close();
        } catch (IOException e) {
            // the log is a convenience; the run's results are already in hand
        }
    }
}
