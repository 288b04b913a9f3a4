package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.fastpath.offload.OffloadProvider;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareBackends;
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
                System.out.printf("  %-8s %s%n", p.name(), p.isAvailable()
                        ? "available" + (p.detail() != null ? ", " + p.detail() : "")
                        : "UNAVAILABLE: " + p.unavailabilityCause());
            }
        }
        System.out.println("hardware backends:");
        for (HardwareBackend b : HardwareBackends.all()) {
            System.out.printf("  %-8s %s%n", b.name(), b.isAvailable() ? "available, blocks " + b.blocks()
                    : "UNAVAILABLE: " + b.unavailabilityCause());
        }
        return 0;
    }
}
