package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.andromeda.testbed.control.programming.GatewayModel;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.OnDemandModel;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.programming.ProgrammingModel;
import dev.andromeda.testbed.control.programming.ScaleRun;
import dev.andromeda.testbed.control.rpc.ProgrammingLatency;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tb control-scale}: Andromeda's scale result, programmed through the real programming-model code. */
@Command(name = "control-scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "The paper's scale run: an N-VM network programmed through the real programming models.",
                "",
                "Builds an N-VM network over H hosts (networks of 50 VMs, " + ScaleRun.HOVERBOARDS + " hoverboards) and"
                        + " programs it through the",
                "real programming-model code (no formula), counting flow entries across hosts and hoverboards.",
                "The paper: 40,000 VMs took 487M flows, 74 s, 10 GB per partition pre-programmed; 1.5M flows, 1.9 s,",
                "513 MB with hoverboards.",
                ""})
public final class ControlScaleCommand implements Callable<Integer> {

    @Option(names = "--vms", defaultValue = "40000", paramLabel = "N", description = "VMs (default ${DEFAULT-VALUE}).")
    int vms;

    @Option(names = "--hosts", defaultValue = "10000", paramLabel = "H", description = "Hosts (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--model", defaultValue = "hoverboard", paramLabel = "MODEL",
            description = "preprogrammed, hoverboard, gateway or on-demand (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--partitions", defaultValue = "30", paramLabel = "P",
            description = "VM controller partitions, by consistent hashing of hosts (default ${DEFAULT-VALUE}, the paper's).")
    int partitions;

    @Option(names = "--program-latency", defaultValue = "200", paramLabel = "N",
            description = "Also measure the time to program N new VMs, one by one, through a gRPC controller and a"
                    + " host agent (checkpoint included); 0 to skip (default ${DEFAULT-VALUE}).")
    int latencyVms;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Before any work: a bad output path must not cost the whole run (issue 15).
        OutputPaths.checkFile(spec, json);
        ProgrammingModel m = switch (model) {
            case "preprogrammed", "pre-programmed" -> new PreProgrammedModel();
            case "hoverboard" -> new HoverboardModel();
            case "gateway" -> new GatewayModel();
            case "on-demand", "ondemand" -> new OnDemandModel(1_000, 100, System::nanoTime);
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--model takes preprogrammed, hoverboard, gateway or on-demand, not '" + model + "'");
        };
        ScaleRun.Result r;
        try {
            // Pre-programmed flow tables must fit this JVM's heap (by default a quarter of the machine's memory).
            r = ScaleRun.run(vms, hosts, m, partitions, ScaleRun.DEFAULT_NETWORK_SIZE, ScaleRun.DEFAULT_SEED,
                    Runtime.getRuntime().maxMemory());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        System.out.println(r.statement());
        if (r.completed()) {
            System.out.printf("flows per partition (host flows): %s%n", r.perPartition());
        }
        System.out.println("How flows are counted: " + r.counting());
        ProgrammingLatency.Result latency = null;
        if (latencyVms > 0) {
            Path state = Files.createTempDirectory("tb-control-latency");
            latency = ProgrammingLatency.measure(latencyVms, state);
            System.out.printf(java.util.Locale.ROOT, "time to program a new VM: median %.2f ms, p99 %.2f ms, max %.2f ms"
                            + " (%d VMs one by one: controller -> gRPC -> host agent -> checkpoint -> fast path -> ack;"
                            + " the paper: median 184 ms, p99 576 ms)%n", latency.medianMs(), latency.p99Ms(),
                    latency.maxMs(), latency.vms());
        }
        if (json != null) {
            ObjectMapper o = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            com.fasterxml.jackson.databind.node.ObjectNode root = o.valueToTree(r);
            if (latency != null) {
                root.set("programLatency", o.valueToTree(latency));
            }
            o.writeValue(json.toFile(), root);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return r.completed() ? 0 : 1;
    }
}
