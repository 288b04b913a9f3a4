package dev.andromeda.testbed.tb.cli;

import picocli.CommandLine.Command;

/** {@code tb offload <stage>}: run job files through one stage implementation. */
@Command(name = "offload", mixinStandardHelpOptions = true,
        description = {"Run a JSON-lines file of jobs through one offload stage and one implementation",
                "(sw, emu, rtl-jni, rtl-ffm); one JSON-lines result per job, in order, ids copied."},
        subcommands = {OffloadChecksumCommand.class, OffloadCopyCommand.class, OffloadGcmCommand.class})
public final class OffloadCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a stage: tb offload <checksum|copy|gcm> --impl <sw|emu|rtl-jni|rtl-ffm> --in JOBS.jsonl");
    }
}
