package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.bridge.ModelBuilder;
import dev.andromeda.testbed.tb.Tb;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
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
    @CommandLine.Mixin
    RtlSourceOptions source = new RtlSourceOptions();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the library and its description go (default target/rtl-models in the folder tb runs from).")
    Path out;

    @Option(names = "--coverage",
            description = "Build the coverage variant (Verilator --coverage: line, toggle, user cover points; cached apart).")
    boolean coverage;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        source.require(spec, "");
        List<String> args = new java.util.ArrayList<>(source.buildArgs(out != null ? out : UserDir.resolve("target/rtl-models")));
        if (coverage) {
            args.add("--coverage");
        }
        PrintWriter err = spec.commandLine().getErr();
        int rc = ModelBuilder.run(args, System.out::println, line -> {
            // The script's own refusals read as every tb error does; Verilator's lines as they are.
            if (line.startsWith("error: ")) {
                Tb.printError(err, "tb rtl build: " + line.substring(7)); // wrapped at the terminal's width
            } else {
                err.println(line);
                err.flush();
            }
        });
        return rc == 0 ? 0 : Tb.EXIT_USAGE;
    }
}
