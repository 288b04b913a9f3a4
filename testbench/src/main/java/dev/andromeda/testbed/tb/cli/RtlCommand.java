package dev.andromeda.testbed.tb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tb rtl}: your own RTL as a model of the testbed. */
@Command(name = "rtl", mixinStandardHelpOptions = true,
        description = "Your own RTL in the testbed: 'tb rtl build' turns any Verilog top into a model library.",
        subcommands = {RtlBuildCommand.class})
public final class RtlCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
