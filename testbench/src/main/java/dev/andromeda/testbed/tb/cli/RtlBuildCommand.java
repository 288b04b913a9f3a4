package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.bridge.ModelBuilder;
import dev.andromeda.testbed.tb.Tb;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tb rtl build}: Verilates any top module from any Verilog sources into a model library
 * the rtl-jni and rtl-ffm bridges open by path -- the same build (build-model.sh, through
 * {@link ModelBuilder}) the built-in blocks go through, with the same cache.
 */
@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Build a model library from your own Verilog (.v) or SystemVerilog (.sv) sources with Verilator,",
                "for the rtl-jni and rtl-ffm bridges (FfmModel.open / JniModel.open in jni-bridge).",
                "Give the sources on the command line, or a YAML manifest beside them (paths in it relative",
                "to it; options given as well add to its lists and override its scalars):",
                "",
                "  top: acc",
                "  sources: [acc.v, lib/]      # files, or folders (their .v and .sv files)",
                "  include_dirs: [inc]",
                "  parameters: {WIDTH: 16}",
                "  defines: {FAST: 1}",
                "  clock: aclk                 # default clk",
                "  reset: aresetn              # default rst; none for a design without one",
                "  reset_active_low: true      # default false",
                "",
                "Writes libtbmodel_<top>.so and <top>.model.properties (top, ports with directions and widths,",
                "clock, reset, parameters, cache hash) into --out. Builds are cached by a hash of the sources'",
                "and include files' contents, the manifest's fields, the flags, the glue and the Verilator",
                "and g++ versions (~/.cache/andromeda-testbed/models, TB_MODEL_CACHE): an unchanged model is",
                "not rebuilt. Verilator runs with -Wall; its lint warnings are printed and counted, and do not",
                "stop the build. Bad input (a missing file, a top not in the sources, a clock or reset that is",
                "not a 1-bit input of the top, a malformed -G) is refused with one line; a design Verilator",
                "cannot build fails with Verilator's own messages.",
                ""},
        footer = {"", "Exit status: 0 built (or cached), 1 bad input or the model cannot be built."})
public final class RtlBuildCommand implements Callable<Integer> {
    @Option(names = "--manifest", paramLabel = "FILE", description = "A YAML manifest (see above).")
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

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the library and its description go (default target/rtl-models in the folder tb runs from).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (manifest == null && top == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --top TOP --src FILE|DIR... or --manifest FILE");
        }
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
        args.addAll(List.of("--out", abs(out != null ? out : UserDir.resolve("target/rtl-models"))));
        PrintWriter err = spec.commandLine().getErr();
        int rc = ModelBuilder.run(args, System.out::println, line -> {
            // The script's own refusals read as every tb error does; Verilator's lines as they are.
            err.println(line.startsWith("error: ") ? "tb rtl build: " + line.substring(7) : line);
            err.flush();
        });
        return rc == 0 ? 0 : Tb.EXIT_USAGE;
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }
}
