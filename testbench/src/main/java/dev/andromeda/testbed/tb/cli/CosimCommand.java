package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.OffloadProvider;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.cosim.ChecksumCosim;
import dev.andromeda.testbed.tb.cosim.CopyCosim;
import dev.andromeda.testbed.tb.cosim.CosimCase;
import dev.andromeda.testbed.tb.cosim.CosimOutcome;
import dev.andromeda.testbed.tb.cosim.CoverageModels;
import dev.andromeda.testbed.tb.cosim.GcmCosim;
import dev.andromeda.testbed.tb.report.Progress;
import dev.andromeda.testbed.tb.report.TextTable;
import dev.andromeda.testbed.testkit.coverage.CoverGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code tb cosim}: the co-simulation regression. */
@Command(name = "cosim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "The co-simulation regression: every block, hardware implementation and seed against sw.",
                "",
                "The co-simulation regression: every block x every hardware implementation x N seeds. Each seed",
                "draws random jobs and its own bus conditions -- idle cycles, back-pressure and (for dma_copy) memory",
                "latency and reads in flight, swept across seeds -- and every result is compared with the sw stage",
                "(RFC 1071, MemorySegment.copy, the JDK's AES/GCM). A failing seed is run again with a waveform.",
                "",
                "--coverage runs the RTL implementations on the coverage build of each block (Verilator",
                "--coverage: line, toggle and user cover points; built once, cached apart from the plain",
                "model) and writes every run's counters, and the cover group of the jobs' fields and bus",
                "conditions, into the coverage folder; 'tb coverage' merges and reports them.",
                ""},
        footer = {"", "Exit status: 0 no mismatch, 4 any mismatch, 1 usage error."})
public final class CosimCommand implements Callable<Integer> {
    private static final List<CosimCase> CASES = List.of(new ChecksumCosim(), new CopyCosim(), new GcmCosim());
    private static final double[] IDLE = {0, 0.1, 0.3, 0.6};
    private static final double[] BACKPRESSURE = {0, 0.2, 0.5, 0.8};
    private static final int[] LATENCY = {100, 0, 1, 10, 300};
    private static final int[] IN_FLIGHT = {16, 1, 4, 64};

    @Option(names = "--block", split = ",", paramLabel = "BLOCK[,BLOCK...]",
            description = "Blocks: csum_offload, dma_copy, aes_gcm (default: every block with a hardware implementation).")
    List<String> blocks;

    @Option(names = "--impl", split = ",", paramLabel = "IMPL[,IMPL...]",
            description = "Implementations: emu, rtl-jni, rtl-ffm (default: all three).")
    List<String> impls;

    @Option(names = "--seeds", defaultValue = "4", paramLabel = "N", description = "Seeds per block and implementation (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", paramLabel = "S", description = "First seed (default ${DEFAULT-VALUE}); seeds are S, S+1, ...")
    long firstSeed;

    @Option(names = "--jobs", defaultValue = "48", paramLabel = "N", description = "Jobs per seed (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--wave-dir", paramLabel = "DIR",
            description = "Where waveforms of failing seeds go (default target/cosim-waves in the clone).")
    Path waveDir;


    @Option(names = "--coverage", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
            description = "Collect coverage into DIR (default target/coverage in the clone); report with tb coverage.")
    String coverage;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (seeds < 1 || jobs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds and --jobs must be at least 1");
        }
        // Not defaultValue: picocli would resolve it against the user's folder (UserDir.install).
        waveDir = waveDir != null ? waveDir : UserDir.scratch("target/cosim-waves");
        List<CosimCase> cases = selectCases();
        List<String> chosenImpls = impls == null ? List.of("emu", "rtl-jni", "rtl-ffm") : impls;
        for (String impl : chosenImpls) {
            boolean known = false;
            for (Stage st : Stage.values()) {
                known |= findProvider(st, impl) != null;
            }
            if (impl.equals("sw") || !known) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--impl takes hardware implementations"
                        + " (emu, rtl-jni, rtl-ffm); not '" + impl + "'" + (impl.equals("sw") ? " (sw is the oracle)" : ""));
            }
        }
        Path coverageDir = null;
        if (coverage != null) {
            coverageDir = coverage.isEmpty() ? CoverageCommand.defaultDir() : UserDir.resolve(coverage);
            if (chosenImpls.stream().anyMatch(i -> i.startsWith("rtl-"))) {
                CoverageModels.use(cases.stream().map(c -> c.stage().block()).toList(),
                        UserDir.scratch("target/coverage-models"), coverageDir, System.err::println);
            }
        }
        TextTable table = new TextTable("block", "impl", "seeds", "jobs", "mismatches", "cycles", "sim Mcycles/s",
                "note");
        boolean failed = false;
        boolean skipped = false;
        Progress progress = new Progress();
        for (CosimCase c : cases) {
            for (String impl : chosenImpls) {
                OffloadProvider<?> p = findProvider(c.stage(), impl);
                if (p == null || !p.isAvailable()) {
                    table.row(c.stage().block(), impl, "-", "-", "-", "-", "-",
                            p == null ? "no " + impl + " implementation" : "unavailable: " + p.unavailabilityCause());
                    skipped = true;
                    continue;
                }
                int totalJobs = 0;
                int mismatches = 0;
                long cycles = 0;
                long wall = 0;
                List<String> notes = new ArrayList<>();
                for (int k = 0; k < seeds; k++) {
                    long seed = firstSeed + k;
                    OffloadOptions options = conditions(seed);
                    progress.update("cosim " + c.stage().block() + " " + impl, k, seeds);
                    CoverGroup cover = c.newCoverGroup();
                    CosimOutcome o = c.run(impl, seed, jobs, options, cover);
                    if (coverageDir != null) {
                        coverConditions(cover, options);
                        cover.write(coverageDir);
                    }
                    totalJobs += o.jobs();
                    mismatches += o.mismatches();
                    cycles += o.cycles();
                    wall += o.simWallNs();
                    if (o.mismatches() > 0) {
                        Path wave = waveDir.resolve(c.stage().block() + "-" + impl + "-seed" + seed + ".vcd");
                        c.run(impl, seed, jobs, options.withWaveform(wave), c.newCoverGroup());
                        notes.add("seed " + seed + ": " + o.firstMismatch() + "; waveform " + wave.toAbsolutePath());
                    }
                }
                progress.update("cosim " + c.stage().block() + " " + impl, seeds, seeds);
                progress.done();
                failed |= mismatches > 0;
                table.row(c.stage().block(), impl, seeds, totalJobs, mismatches, cycles,
                        String.format(Locale.ROOT, "%.2f", wall == 0 ? 0 : cycles * 1000.0 / wall),
                        notes.isEmpty() ? "ok" : String.join(" | ", notes));
            }
        }
        System.out.println(table.render());
        System.out.printf("Conditions per seed s: idle %s, back-pressure %s, memory latency %s cycles, reads in flight %s"
                + " (index s mod length).%n", java.util.Arrays.toString(IDLE), java.util.Arrays.toString(BACKPRESSURE),
                java.util.Arrays.toString(LATENCY), java.util.Arrays.toString(IN_FLIGHT));
        if (coverageDir != null) {
            System.out.println("Coverage (a .dat per RTL run, a .cover.json per seed) written to");
            System.out.println("  " + coverageDir);
            System.out.println("Report it with: tb coverage --dir " + coverageDir);
        }
        if (skipped) {
            System.out.println("Some block/implementation pairs did not run (see the table); './tb impls' says why.");
        }
        if (failed) {
            System.out.println("MISMATCH: see the notes and waveforms above.");
            return Tb.EXIT_MISMATCH;
        }
        return 0;
    }

    /** The seed's bus conditions as bins of the block's cover group: which stall patterns the run saw. */
    private static void coverConditions(CoverGroup g, OffloadOptions o) {
        var idle = g.point("idle %");
        var bp = g.point("back-pressure %");
        if (idle.bins().isEmpty()) {
            for (double v : IDLE) {
                idle.bin(String.valueOf(Math.round(v * 100)), Math.round(v * 100));
            }
            for (double v : BACKPRESSURE) {
                bp.bin(String.valueOf(Math.round(v * 100)), Math.round(v * 100));
            }
        }
        idle.sample(Math.round(o.idleProbability() * 100));
        bp.sample(Math.round(o.backpressureProbability() * 100));
    }

    /** A seed's bus conditions, swept across seeds. */
    static OffloadOptions conditions(long seed) {
        int i = (int) Math.floorMod(seed, 1L << 30);
        return new OffloadOptions(seed, IDLE[i % IDLE.length], BACKPRESSURE[(i / IDLE.length) % BACKPRESSURE.length],
                null, OffloadOptions.DEFAULT_CLOCK_MHZ, LATENCY[i % LATENCY.length], IN_FLIGHT[i % IN_FLIGHT.length]);
    }

    private List<CosimCase> selectCases() {
        if (blocks == null) {
            List<CosimCase> withHardware = new ArrayList<>();
            for (CosimCase c : CASES) {
                if (Offloads.providers(c.stage().providerType()).stream().anyMatch(p -> !p.name().equals("sw"))) {
                    withHardware.add(c);
                }
            }
            return withHardware;
        }
        List<CosimCase> chosen = new ArrayList<>();
        for (String b : blocks) {
            CosimCase found = CASES.stream().filter(c -> c.stage().block().equals(b)).findFirst().orElseThrow(
                    () -> new CommandLine.ParameterException(spec.commandLine(), "no block '" + b + "'; blocks: "
                            + CASES.stream().map(c -> c.stage().block()).toList()));
            chosen.add(found);
        }
        return chosen;
    }

    private static OffloadProvider<?> findProvider(Stage stage, String impl) {
        for (OffloadProvider<?> p : Offloads.providers(stage.providerType())) {
            if (p.name().equals(impl)) {
                return p;
            }
        }
        return null;
    }
}
