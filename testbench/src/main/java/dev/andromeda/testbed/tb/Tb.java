package dev.andromeda.testbed.tb;

import dev.andromeda.testbed.tb.cli.BenchCommand;
import dev.andromeda.testbed.tb.cli.CompareCommand;
import dev.andromeda.testbed.tb.cli.ControlScaleCommand;
import dev.andromeda.testbed.tb.cli.CosimCommand;
import dev.andromeda.testbed.tb.cli.CoverageCommand;
import dev.andromeda.testbed.tb.cli.DemoCommand;
import dev.andromeda.testbed.tb.cli.FuzzCommand;
import dev.andromeda.testbed.tb.cli.ImplsCommand;
import dev.andromeda.testbed.tb.cli.OffloadCommand;
import dev.andromeda.testbed.tb.cli.PaperCommand;
import dev.andromeda.testbed.tb.cli.RtlCommand;
import dev.andromeda.testbed.tb.cli.SimCommand;
import dev.andromeda.testbed.tb.cli.UserDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tb} command line. */
@Command(name = "tb", mixinStandardHelpOptions = true, version = "andromeda-testbed 0.1.0",
        description = {
                "Andromeda co-simulation testbed: a Java virtual-network fast path whose stages run in software",
                "or on hardware blocks -- Java cycle models (emu) or Verilated RTL through JNI (rtl-jni) or",
                "Panama FFM (rtl-ffm) -- and compares them.",
                ""},
        subcommands = {DemoCommand.class, CompareCommand.class, OffloadCommand.class, CosimCommand.class, BenchCommand.class,
                ControlScaleCommand.class, PaperCommand.class, ImplsCommand.class,
                RtlCommand.class, SimCommand.class, CoverageCommand.class, FuzzCommand.class,
                dev.andromeda.testbed.tb.cluster.ZkCommand.class, dev.andromeda.testbed.tb.cluster.VmcCommand.class,
                dev.andromeda.testbed.tb.cluster.HostCommand.class, dev.andromeda.testbed.tb.cluster.NetctlCommand.class,
                dev.andromeda.testbed.tb.cluster.ClusterCommand.class,
                TbHelpCommand.class},
        footer = {"",
                "Handled by the ./tb launcher itself:",
                "  test     " + Tb.TEST_HELP_1,
                "           " + Tb.TEST_HELP_2,
                "  build    " + Tb.BUILD_HELP,
                "",
                "Exit status: 0 success, 1 usage or I/O error, 3 some jobs rejected (offload), 4 mismatches,",
                "5 an implementation unavailable where all are required, 6 a fuzz target failed."})
public final class Tb implements Runnable {
    static final String TEST_HELP_1 = "Run the whole test suite (./mvnw verify) with the RTL required;";
    static final String TEST_HELP_2 = "installs Verilator through apt-get when it is missing and tb runs as root.";
    static final String TEST_HELP = TEST_HELP_1 + " " + TEST_HELP_2;
    static final String BUILD_HELP = "Build now (otherwise tb builds on first use and when sources change).";
    /** The commands the ./tb launcher runs itself, for {@code tb help}. */
    static final java.util.Map<String, String> LAUNCHER_COMMANDS = java.util.Map.of("test", TEST_HELP, "build", BUILD_HELP);
    /** Usage and I/O errors. */
    public static final int EXIT_USAGE = 1;
    /** Some input jobs were malformed and rejected; the rest were processed. */
    public static final int EXIT_REJECTED = 3;
    /** Implementations disagreed. */
    public static final int EXIT_MISMATCH = 4;
    /** An implementation could not run where every one is required (CI=true, -Dtb.rtl.required). */
    public static final int EXIT_UNAVAILABLE = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Tb());
        // The terminal's width (COLUMNS, from the launcher), 80 without one; the descriptions,
        // written in lines of up to 100 columns, are reflowed to it (TbHelpCommand.install).
        cl.setUsageHelpWidth(dev.andromeda.testbed.tb.report.TerminalWidth.get());
        TbHelpCommand.install(cl);
        UserDir.install(cl);
        cl.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            printError(c.getErr(), "tb: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            }
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            printError(c.getErr(), "tb: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            if (Boolean.getBoolean("tb.debug")) {
                ex.printStackTrace(c.getErr());
            }
            return EXIT_USAGE;
        });
        return cl;
    }

    /**
     * A message for the user, each of its lines wrapped at the terminal's width (80 without
     * COLUMNS, as in a pipe or a log), continuation lines indented by two: a refusal that names
     * a file, a line and a reason does not run past the edge (issue 15 point 9).
     */
    public static void printError(java.io.PrintWriter err, String message) {
        printWrapped(err, message);
    }

    /** Any text for the terminal wrapped as {@link #printError} wraps a message. */
    public static void printWrapped(java.io.PrintWriter out, String text) {
        int width = dev.andromeda.testbed.tb.report.TerminalWidth.get();
        for (String line : text.split("\n", -1)) {
            for (String part : dev.andromeda.testbed.tb.report.TerminalWidth.wrap(line, width, 2)) {
                out.println(part);
            }
        }
        out.flush();
    }

    public static void main(String[] args) {
        // The control plane logs through System.Logger (java.util.logging): one line per event, as
        // the processes' own lines, instead of JUL's two.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %3$s: %5$s%6$s%n");
        }
        System.exit(commandLine().execute(args));
    }
}
