package dev.andromeda.testbed.tb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model is built from, as {@code tb rtl build} and {@code tb sim} take it: a manifest,
 * or a top and its sources with the build options; turned into build-model.sh's arguments.
 */
public final class RtlSourceOptions {
    @Option(names = "--manifest", paramLabel = "FILE", description = "A YAML manifest beside your sources (tb rtl build --help shows one).")
    Path manifest;

    @Option(names = "--top", paramLabel = "TOP", description = "The top module.")
    String top;

    @Option(names = "--src", paramLabel = "FILE|DIR", arity = "1..*",
            description = "Source files (.v, .sv) or folders of them; repeatable.")
    List<Path> sources = new ArrayList<>();

    @Option(names = "-I", paramLabel = "DIR", description = "An include folder (`include files); repeatable.")
    List<Path> includes = new ArrayList<>();

    @Option(names = "-G", paramLabel = "NAME=VALUE", description = "Set a top-level parameter; repeatable.")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--define", paramLabel = "X[=Y]", description = "A preprocessor define (`define); repeatable.")
    List<String> defines = new ArrayList<>();

    @Option(names = "--clock", paramLabel = "NAME", description = "The clock input (default clk).")
    String clock;

    @Option(names = "--reset", paramLabel = "NAME", description = "The reset input (default rst; none: no reset).")
    String reset;

    @Option(names = "--reset-active-low", description = "The reset asserts at 0 (default: at 1).")
    boolean resetActiveLow;

    /** Whether any source was given (a manifest or a top). */
    boolean given() {
        return manifest != null || top != null;
    }

    /** Refuses options without a manifest or a top. */
    void require(CommandLine.Model.CommandSpec spec, String alternative) {
        if (!given()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --top TOP --src FILE|DIR... or --manifest FILE" + alternative);
        }
    }

    /** build-model.sh's arguments for these options, writing into {@code out}. */
    List<String> buildArgs(Path out) {
        List<String> args = new ArrayList<>();
        if (manifest != null) {
            args.addAll(List.of("--manifest", abs(manifest)));
        }
        if (top != null) {
            args.addAll(List.of("--top", top));
        }
        sources.forEach(s -> args.addAll(List.of("--src", abs(s))));
        includes.forEach(i -> args.addAll(List.of("-I", abs(i))));
        parameters.forEach(g -> args.addAll(List.of("-G", g)));
        defines.forEach(d -> args.addAll(List.of("--define", d)));
        if (clock != null) {
            args.addAll(List.of("--clock", clock));
        }
        if (reset != null) {
            args.addAll(List.of("--reset", reset));
        }
        if (resetActiveLow) {
            args.add("--reset-active-low");
        }
        args.addAll(List.of("--out", abs(out)));
        return args;
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }
}
