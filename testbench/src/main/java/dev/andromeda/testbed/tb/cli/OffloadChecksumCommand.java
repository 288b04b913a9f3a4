package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.jobs.ChecksumJob;
import dev.andromeda.testbed.tb.jobs.Hex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tb offload checksum}: checksum jobs in, results out, JSON lines. */
@Command(name = "checksum", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Checksum jobs through the NIC checksum offload stage (RFC 1071).",
                "",
                "Job:    {\"id\":\"j1\",\"data\":\"<hex>\",\"start\":14,\"insert\":40,\"seed\":4660}",
                "        start defaults to 0, insert to -1 (no insertion), seed to 0; data up to 9,216 bytes.",
                "Result: {\"id\":\"j1\",\"csum\":<0..65535>,\"data\":\"<hex after insertion>\",\"cycles\":<n>}",
                "        cycles (hardware implementations only) is the job's latency through the block.",
                "        csum = ~(seed + sum of the 16-bit big-endian words of data[start..]) as in RFC 1071,",
                "        written big-endian at data[insert], data[insert+1] when insert >= 0.",
                "A malformed line gives {\"id\":..,\"error\":\"<why>\"} and the run goes on.",
                ""},
        footer = {"", "Exit status: 0 all jobs done, 3 some jobs rejected, 1 usage or I/O error."})
public final class OffloadChecksumCommand implements Callable<Integer> {

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

    @Option(names = "--batch", defaultValue = "256", paramLabel = "N", description = "Jobs per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the bus drivers' random idle and stall cycles (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--idle", defaultValue = "0", paramLabel = "P", description = "Chance of an idle input cycle, 0..1 (default ${DEFAULT-VALUE}).")
    double idle;

    @Option(names = "--backpressure", defaultValue = "0", paramLabel = "P", description = "Chance of a stalled output cycle, 0..1 (default ${DEFAULT-VALUE}).")
    double backpressure;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final ObjectMapper json = new ObjectMapper();

    /** A line of the job file: a valid job, or why it is not one. */
    private record Line(JsonNode id, ChecksumJob job, String error) {
    }

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch must be at least 1");
        }
        if (wave != null && impl.equals("sw")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--wave needs a hardware implementation (emu, rtl-jni, rtl-ffm); sw has no waveform");
        }
        OffloadOptions options;
        try {
            options = new OffloadOptions(seed, idle, backpressure, wave, OffloadOptions.DEFAULT_CLOCK_MHZ);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Offloads.checksumProvider(impl); // unknown names fail here, listing the known ones

        int rejected = 0;
        long jobs = 0;
        boolean hardware = !impl.equals("sw");
        try (BufferedReader reader = openIn();
             PrintWriter writer = openOut();
             ChecksumOffload stage = Offloads.openChecksum(impl, options)) {
            List<Line> pending = new ArrayList<>(batchSize);
            String text;
            int lineNo = 0;
            while ((text = reader.readLine()) != null) {
                lineNo++;
                if (text.isBlank()) {
                    continue;
                }
                Line line = parse(text, lineNo);
                if (line.error() != null) {
                    rejected++;
                }
                pending.add(line);
                if (pending.size() == batchSize) {
                    jobs += flush(stage, pending, writer, hardware);
                }
            }
            jobs += flush(stage, pending, writer, hardware);
            writer.flush();
            if (writer.checkError()) {
                throw new UncheckedIOException(new IOException("cannot write " + out));
            }
            System.err.printf("tb offload checksum --impl %s: %d jobs done, %d rejected; %s%n", impl, jobs, rejected,
                    stage.counters());
        } catch (NoSuchFileException e) {
            spec.commandLine().getErr().println("tb: no such file: " + e.getFile());
            return Tb.EXIT_USAGE;
        } catch (IOException | UncheckedIOException e) {
            spec.commandLine().getErr().println("tb: " + e.getMessage());
            return Tb.EXIT_USAGE;
        }
        return rejected > 0 ? Tb.EXIT_REJECTED : 0;
    }

    private Line parse(String text, int lineNo) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            return new Line(null, null, "line " + lineNo + ": not JSON: " + e.getOriginalMessage());
        }
        JsonNode id = node.isObject() ? node.get("id") : null;
        try {
            return new Line(id, ChecksumJob.parse(node), null);
        } catch (IllegalArgumentException e) {
            return new Line(id, null, "line " + lineNo + ": " + e.getMessage());
        }
    }

    /** Runs the valid jobs of the pending lines as one batch and writes every line's result, in order. */
    private long flush(ChecksumOffload stage, List<Line> pending, PrintWriter writer, boolean hardware) {
        if (pending.isEmpty()) {
            return 0;
        }
        long bytes = 0;
        int valid = 0;
        for (Line l : pending) {
            if (l.job() != null) {
                bytes += l.job().data().length;
                valid++;
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(Math.max(1, bytes), 64);
            long[] offsets = new long[pending.size()];
            int[] index = new int[pending.size()];
            try (ChecksumBatch batch = new ChecksumBatch(Math.max(1, valid), memory)) {
                long at = 0;
                for (int i = 0; i < pending.size(); i++) {
                    ChecksumJob j = pending.get(i).job();
                    if (j == null) {
                        continue;
                    }
                    MemorySegment.copy(j.data(), 0, memory, ValueLayout.JAVA_BYTE, at, j.data().length);
                    offsets[i] = at;
                    index[i] = batch.add(at, j.data().length, j.start(), j.insert(), j.seed());
                    at += j.data().length;
                }
                if (valid > 0) {
                    stage.process(batch);
                }
                for (int i = 0; i < pending.size(); i++) {
                    Line l = pending.get(i);
                    ObjectNode r = json.createObjectNode();
                    r.set("id", l.id());
                    if (l.job() == null) {
                        r.put("error", l.error());
                    } else if (batch.status(index[i]) != ChecksumBatch.STATUS_DONE) {
                        r.put("error", "rejected by the engine: " + batch.validate(index[i]));
                    } else {
                        r.put("csum", batch.csum(index[i]));
                        byte[] data = memory.asSlice(offsets[i], l.job().data().length).toArray(ValueLayout.JAVA_BYTE);
                        r.put("data", Hex.encode(data));
                        if (hardware) {
                            r.put("cycles", batch.cycles(index[i]));
                        }
                    }
                    writer.println(r.toString());
                }
            }
        }
        pending.clear();
        return valid;
    }

    private BufferedReader openIn() throws IOException {
        if (in.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return Files.newBufferedReader(Path.of(in), StandardCharsets.UTF_8);
    }

    private PrintWriter openOut() throws IOException {
        if (out.equals("-")) {
            return new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        }
        Path p = Path.of(out);
        if (p.toAbsolutePath().getParent() != null) {
            Files.createDirectories(p.toAbsolutePath().getParent());
        }
        return new PrintWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8));
    }
}
