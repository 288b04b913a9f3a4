package dev.andromeda.testbed.tb.cli;

import picocli.CommandLine.Command;

/** {@code tb bench <what>}: JMH benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (JMH underneath); results are reported, never asserted.",
        subcommands = {BenchSimCommand.class, BenchFastpathCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark: tb bench sim, tb bench fastpath");
    }
}
