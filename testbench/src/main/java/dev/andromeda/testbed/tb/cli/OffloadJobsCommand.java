package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.fastpath.offload.OffloadStage;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.tb.Tb;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.Callable;

/**
 * What every {@code tb offload <stage>} command shares: JSON-lines jobs in,
 * one result line per job out in the same order with the {@code id} copied,
 * malformed lines answered with {@code {"id":..,"error":".."}} while the run
 * goes on, valid jobs run in batches through one implementation, and the exit
 * status (0 all done, 3 some rejected, 1 usage or I/O error).
 *
 * @param <J> a parsed, valid job
 * @param <S> the stage
 */
abstract class OffloadJobsCommand<J, S extends OffloadStage> implements Callable<Integer> {

    @Option(names = "--impl", required = true, paramLabel = "IMPL",
            description = "Implementation: sw, emu, rtl-jni or rtl-ffm.")
    String impl;

    @Option(names = "--in", required = true, paramLabel = "JOBS.jsonl", description = "Job file ('-' for stdin).")
    String in;

    @Option(names = "--out", defaultValue = "-", paramLabel = "RESULTS.jsonl",
            description = "Result file ('-' for stdout, the default).")
    String out;

    @Option(names = "--wave", paramLabel = "FILE", description = "Write a VCD waveform of the whole run (hardware only).")
    Path wave;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "Jobs per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the bus drivers' random idle and stall cycles (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--idle", defaultValue = "0", paramLabel = "P", description = "Chance of an idle input cycle, 0 up to but not 1 (default ${DEFAULT-VALUE}).")
    double idle;

    @Option(names = "--backpressure", defaultValue = "0", paramLabel = "P", description = "Chance of a stalled output cycle, 0 up to but not 1 (default ${DEFAULT-VALUE}).")
    double backpressure;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Duplicate keys are refused: a job file that says "id" twice is a mistake, not the last value. */
    protected final ObjectMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** A job's leading "id", read from the raw line when the line as a whole cannot be parsed. */
    private static final Pattern LEADING_ID = Pattern.compile("^\\s*\\{\\s*\"id\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.){0,200}\"|-?\\d{1,19})");

    /** A line of the job file: a valid job, or why it is not one. */
    private record Line<J>(JsonNode id, J job, String error) {
    }

    /** The stage's label for messages, e.g. {@code checksum}. */
    protected abstract String stage();

    /** What a result's "cycles" counts, when a reader could take it for something else; null if plain. */
    protected String cyclesNote() {
        return null;
    }

    /** Checks that the implementation exists (throws IllegalArgumentException listing the known ones). */
    protected abstract void checkImplementation(String name);

    protected abstract S open(String name, OffloadOptions options);

    /**
     * Parses and validates one job.
     *
     * @throws IllegalArgumentException with the reason, for a malformed job
     */
    protected abstract J parse(JsonNode node);

    /**
     * Runs valid jobs as one batch and fills each one's result (the {@code id}
     * is already set); a job the stage itself rejects gets an {@code error}.
     */
    protected abstract void run(S stage, List<J> jobs, List<ObjectNode> results, boolean hardware);

    /** The options, from the common flags; stages with more flags extend it. */
    protected OffloadOptions options() {
        return new OffloadOptions(seed, idle, backpressure, wave, OffloadOptions.DEFAULT_CLOCK_MHZ);
    }

    /**
     * Refuses out-of-range flags naming the flag: OffloadOptions checks them too, but its
     * messages name its fields ({@code idleProbability}), which a user never typed.
     */
    protected void checkOptions() {
        probability("--idle", idle);
        probability("--backpressure", backpressure);
    }

    private void probability(String option, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be at least 0 and below 1 (a chance per cycle), was " + p);
        }
    }

    /** A usage error for a flag out of its range. */
    protected final void outOfRange(boolean bad, String message) {
        if (bad) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    @Override
    public final Integer call() {
        // Before any work: a bad output path must not cost the whole run (issue 15).
        if (!out.equals("-")) {
            OutputPaths.checkFile(spec, UserDir.resolve(out));
        }
        OutputPaths.checkFile(spec, wave);
        if (!in.equals("-") && Files.isDirectory(UserDir.resolve(in))) {
            // The JDK's own message ("Is a directory") names neither the option nor the path.
            throw new CommandLine.ParameterException(spec.commandLine(), "--in " + UserDir.resolve(in) + ": is a directory");
        }
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1");
        }
        if (wave != null && impl.equals("sw")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--wave needs a hardware implementation (emu, rtl-jni, rtl-ffm); sw has no waveform");
        }
        checkOptions();
        OffloadOptions options;
        try {
            options = options();
            checkImplementation(impl);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int rejected = 0;
        long done = 0;
        boolean hardware = !impl.equals("sw");
        int lineNo = 0;
        int unparsed = 0; // lines refused before the engine: not JSON, not a job
        try (BufferedReader reader = openIn(); PrintWriter writer = openOut(); S stage = open(impl, options)) {
            List<Line<J>> pending = new ArrayList<>(batchSize);
            String text;
            while ((text = reader.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && text.startsWith("\uFEFF")) {
                    // Windows editors save UTF-8 with a byte-order mark; Java's decoder keeps it as a character.
                    text = text.substring(1);
                }
                if (text.isBlank()) {
                    continue;
                }
                Line<J> line = parseLine(text, lineNo);
                if (line.job() == null) {
                    unparsed++;
                }
                pending.add(line);
                if (pending.size() == batchSize) {
                    rejected += flush(stage, pending, writer, hardware);
                    done += batchSize;
                }
            }
            done += pending.size();
            rejected += flush(stage, pending, writer, hardware);
            writer.flush();
            if (writer.checkError()) {
                throw new UncheckedIOException(new IOException("cannot write " + out));
            }
            // The engine's counters count only what reached it: lines refused here are apart.
            Tb.printError(spec.commandLine().getErr(), String.format("tb offload %s --impl %s: %d job%s, %d rejected"
                            + " (%d before the engine, %d by it); engine counters: %s", stage(), impl, done,
                    done == 1 ? "" : "s", rejected, unparsed, rejected - unparsed, stage.counters()));
            if (hardware && cyclesNote() != null) {
                Tb.printError(spec.commandLine().getErr(), cyclesNote());
            }
        } catch (CharacterCodingException e) {
            Tb.printError(spec.commandLine().getErr(), "tb: --in " + in + ": not UTF-8 text (line " + (lineNo + 1)
                    + "); a job file is JSON, one object a line");
            return Tb.EXIT_USAGE;
        } catch (NoSuchFileException e) {
            Tb.printError(spec.commandLine().getErr(), "tb: no such file: " + e.getFile());
            return Tb.EXIT_USAGE;
        } catch (IOException | UncheckedIOException e) {
            Tb.printError(spec.commandLine().getErr(), "tb: " + e.getMessage());
            return Tb.EXIT_USAGE;
        }
        return rejected > 0 ? Tb.EXIT_REJECTED : 0;
    }

    private Line<J> parseLine(String text, int lineNo) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (StreamConstraintsException e) {
            return new Line<>(leadingId(text), null, "line " + lineNo + ": a value of more than "
                    + String.format(java.util.Locale.ROOT, "%,d", StreamReadConstraints.DEFAULT_MAX_STRING_LEN)
                    + " characters, the most a job may hold (the line is " + String.format(java.util.Locale.ROOT,
                    "%,d", text.length()) + " characters)");
        } catch (JsonProcessingException e) {
            return new Line<>(leadingId(text), null, "line " + lineNo + ": not JSON: " + e.getOriginalMessage());
        }
        JsonNode id = node.isObject() ? node.get("id") : null;
        if (!node.isObject()) {
            return new Line<>(null, null, "line " + lineNo + ": a job must be a JSON object");
        }
        try {
            return new Line<>(id, parse(node), null);
        } catch (IllegalArgumentException e) {
            return new Line<>(id, null, "line " + lineNo + ": " + e.getMessage());
        }
    }

    /** The line's "id" if it starts with one, so a result that is an error still says which job it was. */
    private JsonNode leadingId(String text) {
        Matcher m = LEADING_ID.matcher(text.length() > 512 ? text.substring(0, 512) : text);
        if (!m.find()) {
            return null;
        }
        try {
            return json.readTree(m.group(1));
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Runs the pending lines' valid jobs, writes every line's result in order; returns the rejected count. */
    private int flush(S stage, List<Line<J>> pending, PrintWriter writer, boolean hardware) {
        List<J> jobs = new ArrayList<>();
        List<ObjectNode> results = new ArrayList<>();
        List<ObjectNode> all = new ArrayList<>();
        for (Line<J> l : pending) {
            ObjectNode r = json.createObjectNode();
            r.set("id", l.id());
            all.add(r);
            if (l.job() != null) {
                jobs.add(l.job());
                results.add(r);
            } else {
                r.put("error", l.error());
            }
        }
        if (!jobs.isEmpty()) {
            run(stage, jobs, results, hardware);
        }
        int rejected = 0;
        for (ObjectNode r : all) {
            if (r.has("error")) {
                rejected++;
            }
            writer.println(r.toString());
        }
        pending.clear();
        return rejected;
    }

    private BufferedReader openIn() throws IOException {
        if (in.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return Files.newBufferedReader(UserDir.resolve(in), StandardCharsets.UTF_8);
    }

    private PrintWriter openOut() throws IOException {
        if (out.equals("-")) {
            return new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        }
        Path p = UserDir.resolve(out);
        if (p.toAbsolutePath().getParent() != null) {
            Files.createDirectories(p.toAbsolutePath().getParent());
        }
        return new PrintWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8));
    }
}
