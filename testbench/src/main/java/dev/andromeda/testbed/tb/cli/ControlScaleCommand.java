package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.andromeda.testbed.control.programming.GatewayModel;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.NetworkSizes;
import dev.andromeda.testbed.control.scale.ProgrammedScaleRun;
import dev.andromeda.testbed.control.programming.OnDemandModel;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.programming.ProgrammingModel;
import dev.andromeda.testbed.control.programming.ScaleRun;
import dev.andromeda.testbed.control.rpc.ProgrammingLatency;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.report.Progress;
import dev.andromeda.testbed.tb.report.TerminalWidth;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tb control-scale}: Andromeda's scale result, programmed through the real programming-model code. */
@Command(name = "control-scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "The paper's scale run: an N-VM network programmed through the real programming models.",
                "",
                "Builds an N-VM network over H hosts (networks of --network-size VMs, " + ScaleRun.HOVERBOARDS
                        + " hoverboards). --mode programmed (the default): P VM controllers (gRPC servers) each",
                "compute their hosts' real programs, encode and send them to simulated host agents (many in this",
                "process, one gRPC stream each) that decode, validate and build real flow tables and ack; measured:",
                "time until every host runs the version, bytes sent, controller heap per partition, then the time",
                "to program new VMs in the same network. Tables that do not fit the heap are programmed for a",
                "sample and extrapolated, and the output says so. --mode counted: the flows counted through the",
                "same model code, nothing built or sent.",
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

    @Option(names = "--program-latency", paramLabel = "N",
            description = "Also measure the time to program N new VMs, one by one: programmed mode, in the same"
                    + " network (default 20: each takes up to a second at 40,000 VMs); counted mode, through a gRPC"
                    + " controller and one real host agent, checkpoint included (default 200); 0 to skip.")
    Integer latencyOption;

    int latencyVms;

    @Option(names = "--mode", defaultValue = "programmed", paramLabel = "MODE",
            description = "programmed (tables built and sent over gRPC) or counted (flows counted only); default"
                    + " ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--network-size", defaultValue = "fixed:50", paramLabel = "DIST",
            description = "VMs per virtual network: fixed:N, or pareto:ALPHA,MIN,MAX (a bounded Pareto of shape ALPHA"
                    + " between MIN and MAX VMs, seeded; " + NetworkSizes.PAPER + " is the paper run's); default"
                    + " ${DEFAULT-VALUE}.")
    String networkSize;

    @Option(names = "--max-programmed-flows", defaultValue = "10000000", paramLabel = "F",
            description = "Programmed mode: program at most F flows for real (also bounded by the heap); a larger"
                    + " network is programmed for a sample of partition 0 and extrapolated (default ${DEFAULT-VALUE}).")
    long maxProgrammedFlows;

    @Option(names = "--seed", defaultValue = "" + ScaleRun.DEFAULT_SEED, paramLabel = "S",
            description = "Seed of the network (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Networks from this size on show progress: about 150,000 VMs, a second or more of building here. */
    static final long LONG_RUN_BYTES = 100L << 20;

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
        NetworkSizes sizes;
        try {
            sizes = NetworkSizes.parse(networkSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--network-size " + e.getMessage());
        }
        if (!mode.equals("programmed") && !mode.equals("counted")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--mode takes programmed or counted, not '" + mode + "'");
        }
        if (maxProgrammedFlows < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-programmed-flows must be at least 1");
        }
        if (hosts > vms) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format("--hosts %,d is above --vms %,d:"
                    + " hosts without VMs program nothing; give at least as many VMs as hosts", hosts, vms));
        }
        // The network, then the pre-programmed flow tables, must fit this JVM's heap (by default a
        // quarter of the machine's memory): refused now, not after minutes in an OutOfMemoryError.
        long heap = Runtime.getRuntime().maxMemory();
        if (vms >= 1 && hosts >= 2 && ScaleRun.networkBytes(vms, hosts) > heap) {
            Tb.printError(spec.commandLine().getErr(), "tb: control-scale: "
                    + heapAdvice(ScaleRun.networkBytes(vms, hosts), heap));
            return Tb.EXIT_USAGE;
        }
        latencyVms = latencyOption != null ? latencyOption : mode.equals("programmed") ? 20 : 200;
        if (mode.equals("programmed")) {
            if (vms < 1 || hosts < 2 || partitions < 1 || latencyVms < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--vms >= 1, --hosts >= 2, --partitions >= 1, --program-latency >= 0");
            }
            return programmed(m, sizes, heap);
        }
        ScaleRun.Result r;
        Progress bar = new Progress();
        // Quick runs (the defaults take a fraction of a second) print nothing; long ones say where they are.
        // Decided by size, not by a timer, so the same command prints the same lines on any machine.
        ScaleRun.Progress progress = ScaleRun.networkBytes(vms, hosts) >= LONG_RUN_BYTES ? bar::update
                : ScaleRun.Progress.NONE;
        try {
            r = ScaleRun.run(vms, hosts, m, partitions, sizes, seed, heap, progress);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (OutOfMemoryError e) {
            // The estimate is measured, not a bound for every JVM: should it fall short, one line, no stack trace.
            // What the run built is garbage once unwound, so there is heap again to say so.
            bar.done();
            Tb.printError(spec.commandLine().getErr(), String.format("tb: control-scale ran out of heap at %,d VMs"
                    + " over %,d hosts: this JVM has %,d MB; raise it with JAVA_OPTS=-Xmx%dg ./tb control-scale ...",
                    vms, hosts, heap >> 20, suggestedGb(2 * ScaleRun.networkBytes(vms, hosts))));
            return Tb.EXIT_USAGE;
        } finally {
            bar.done();
        }
        // Sentences of up to 400 characters, wrapped to the terminal (issue 15); --json has them whole.
        int width = TerminalWidth.get();
        print(r.statement(), width);
        if (r.completed()) {
            print("flows per partition (host flows): " + r.perPartition(), width);
        }
        print("How flows are counted: " + r.counting(), width);
        ProgrammingLatency.Result latency = null;
        if (latencyVms > 0) {
            Path state = Files.createTempDirectory("tb-control-latency");
            latency = ProgrammingLatency.measure(latencyVms, state);
            print(String.format(java.util.Locale.ROOT, "time to program a new VM: median %.2f ms, p99 %.2f ms, max"
                            + " %.2f ms (%d VMs one by one: controller -> gRPC -> host agent -> checkpoint -> fast path"
                            + " -> ack; the paper: median 184 ms, p99 576 ms)", latency.medianMs(), latency.p99Ms(),
                    latency.maxMs(), latency.vms()), width);
        }
        if (json != null) {
            ObjectMapper o = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            com.fasterxml.jackson.databind.node.ObjectNode root = o.valueToTree(r);
            root.put("mode", "counted");
            root.put("networkSizes", sizes.spec());
            if (latency != null) {
                root.set("programLatency", o.valueToTree(latency));
            }
            o.writeValue(json.toFile(), root);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return r.completed() ? 0 : 1;
    }

    /** Programmed mode: real programs, encoded, sent over gRPC to simulated agents that build real tables. */
    private int programmed(ProgrammingModel m, NetworkSizes sizes, long heap) throws Exception {
        Progress bar = new Progress();
        ScaleRun.Progress progress = hosts >= 1000 || ScaleRun.networkBytes(vms, hosts) >= LONG_RUN_BYTES
                ? bar::update : ScaleRun.Progress.NONE;
        // The network's own heap comes first; the rest, with room for the JVM, is what tables may take.
        long budget = Math.max(64L << 20, (heap - ScaleRun.networkBytes(vms, hosts)) / 2);
        ProgrammedScaleRun.Result r;
        try {
            r = ProgrammedScaleRun.run(new ProgrammedScaleRun.Config(vms, hosts, m, partitions, sizes, seed, budget,
                    maxProgrammedFlows, latencyVms, Runtime.getRuntime().availableProcessors()), progress);
        } catch (OutOfMemoryError e) {
            bar.done();
            Tb.printError(spec.commandLine().getErr(), String.format("tb: control-scale ran out of heap at %,d VMs"
                    + " over %,d hosts in programmed mode: this JVM has %,d MB; raise it (JAVA_OPTS=-Xmx...), lower"
                    + " --max-programmed-flows, or use --mode counted", vms, hosts, heap >> 20));
            return Tb.EXIT_USAGE;
        } finally {
            bar.done();
        }
        int width = TerminalWidth.get();
        print(r.statement(), width);
        if (!r.extrapolated()) {
            print(String.format(java.util.Locale.ROOT, "seconds per partition: min %.3f, max %.3f (the %d controllers"
                            + " take turns on this machine's %d cores; in the paper each partition is its own"
                            + " machine)", r.perPartitionSeconds().stream().mapToDouble(Double::doubleValue).min()
                            .orElse(0), r.slowestPartitionSeconds(), partitions,
                    Runtime.getRuntime().availableProcessors()), width);
        }
        if (r.newVm() != null) {
            print(String.format(java.util.Locale.ROOT, "time to program a new VM in this network: median %.2f ms, p99"
                            + " %.2f ms, max %.2f ms (%d VMs one by one, %.1f hosts reprogrammed each: state change ->"
                            + " programs recomputed -> delta over gRPC -> agent validates and builds its table -> ack;"
                            + " no checkpoint to disk; the paper: median 184 ms, p99 576 ms)", r.newVm().medianMs(),
                    r.newVm().p99Ms(), r.newVm().maxMs(), r.newVm().vms(), r.newVm().hostsPerVm()), width);
        } else if (latencyVms > 0) {
            print("time to program a new VM: not measured (the network was extrapolated, not all programmed)", width);
        }
        print("How it is measured: " + HOW, width);
        if (json != null) {
            ObjectMapper o = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            com.fasterxml.jackson.databind.node.ObjectNode root = o.valueToTree(r);
            root.put("measured", HOW);
            o.writeValue(json.toFile(), root);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }

    static final String HOW = "flows = entries in the tables the agents built (hosts' flows + one route per VM on"
            + " every hoverboard); seconds = from the first program computed to the last ack, partitions one after"
            + " another; bytes = the programs' protobuf bytes fields the controllers sent; heap per partition = the"
            + " controllers' heap left after a GC once the agents are gone, divided by the partitions";

    private static void print(String text, int width) {
        TerminalWidth.wrap(text, width, 2).forEach(System.out::println);
    }

    /** What the run would need against what this JVM and this machine have, and what to do about it. */
    private String heapAdvice(long need, long heap) {
        long machine = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        String sizes = String.format("%,d VMs over %,d hosts need about %,d MB of heap", vms, hosts, need >> 20);
        long gb = suggestedGb(need);
        if (gb << 30 > machine) {
            return String.format("%s, more than this machine's %,d MB of memory (this JVM has %,d MB):"
                    + " choose fewer VMs or hosts", sizes, machine >> 20, heap >> 20);
        }
        return String.format("%s and this JVM has %,d MB; raise it with JAVA_OPTS=-Xmx%dg ./tb control-scale ...",
                sizes, heap >> 20, gb);
    }

    /** Whole gigabytes above {@code bytes}, with room for the JVM's own use of the heap. */
    private static long suggestedGb(long bytes) {
        return (bytes + (bytes >> 3)) / (1L << 30) + 1;
    }
}
