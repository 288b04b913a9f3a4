package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.fastpath.offload.OffloadProvider;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.tb.report.TerminalWidth;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code tb impls}: what can run here, and why not. */
@Command(name = "impls", mixinStandardHelpOptions = true,
        description = "List the stage implementations and hardware backends, and whether each can run here (with the cause when not).")
public final class ImplsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (Stage stage : Stage.values()) {
            System.out.println(stage.label() + " stage (" + stage.block() + " in hardware):");
            for (OffloadProvider<?> p : Offloads.providers(stage.providerType())) {
                row(p.name(), p.isAvailable()
                        ? "available" + (p.detail() != null ? ", " + p.detail() : "")
                        : "UNAVAILABLE: " + p.unavailabilityCause());
            }
        }
        System.out.println("hardware backends:");
        for (HardwareBackend b : HardwareBackends.all()) {
            row(b.name(), b.isAvailable() ? "available, blocks " + b.blocks()
                    : "UNAVAILABLE: " + b.unavailabilityCause());
        }
        return 0;
    }

    /** One implementation's line, wrapped under its description at the terminal's width (a cause can be long). */
    private static void row(String name, String what) {
        String line = String.format("  %-8s %s", name, what);
        for (String part : TerminalWidth.wrap(line, TerminalWidth.get(), 11)) {
            System.out.println(part);
        }
    }
}
