package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.demo.ChecksumDemo;
import dev.andromeda.testbed.tb.demo.DemoPackets;
import dev.andromeda.testbed.tb.report.Progress;
import dev.andromeda.testbed.tb.report.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code tb demo}: the main job. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "The main job. For now: generated VM packets (Ethernet/IPv4/UDP+TCP, 64 bytes to jumbo) through",
                "the checksum stage under every implementation -- sw, emu, rtl-jni, rtl-ffm -- in egress",
                "batches of 32, with a table of agreement (byte-identical to sw), L4 checksums verified,",
                "hardware cycles per packet, CPU ns per packet, modelled hardware ns at the clock, and",
                "simulation wall time (kept apart: it is the simulator's cost, not the dataplane's).",
                ""},
        footer = {"", "Exit status: 0 all implementations agree, 4 a mismatch, 1 usage error."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--packets", defaultValue = "4000", paramLabel = "N", description = "Packets to generate (default ${DEFAULT-VALUE}).")
    int packets;

    @Option(names = "--quick", description = "A short run (1,000 packets).")
    boolean quick;

    @Option(names = "--impls", split = ",", paramLabel = "IMPL[,IMPL...]",
            description = "Implementations to run (default: sw,emu,rtl-jni,rtl-ffm).")
    List<String> impls;

    @Option(names = "--seed", defaultValue = "2026", description = "Seed of the traffic (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--clock-mhz", defaultValue = "250", paramLabel = "MHZ", description = "Clock for modelled hardware time (default ${DEFAULT-VALUE}).")
    double clockMHz;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int n = quick ? 1000 : packets;
        if (n < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--packets must be at least 1");
        }
        List<String> chosen = impls == null ? Offloads.IMPLEMENTATIONS : impls;
        if (!chosen.contains("sw")) {
            chosen = new java.util.ArrayList<>(chosen);
            chosen.addFirst("sw"); // the reference every other run is compared with
        }
        for (String impl : chosen) {
            Offloads.checksumProvider(impl); // unknown names fail here
        }
        OffloadOptions options = new OffloadOptions(seed, 0, 0, null, clockMHz);
        List<DemoPackets.Packet> traffic = DemoPackets.generate(n, seed);
        long bytes = traffic.stream().mapToLong(p -> p.frame().length).sum();
        System.out.printf(Locale.ROOT, "tb demo: %,d packets (%,d bytes, seed %d) through the checksum stage, batches of %d%n%n",
                n, bytes, seed, ChecksumDemo.BATCH);

        Progress progress = new Progress();
        List<ChecksumDemo.Run> runs = ChecksumDemo.run(traffic, chosen, options,
                (impl, done) -> progress.update("checksum " + impl, done, n));
        progress.done();

        TextTable t = new TextTable("impl", "packets", "agree w/ sw", "L4 csum ok", "hw cycles/pkt", "CPU ns/pkt",
                String.format(Locale.ROOT, "hw ns/pkt @%.0fMHz", clockMHz), "sim wall ms", "sim Mcycles/s");
        boolean mismatch = false;
        for (ChecksumDemo.Run r : runs) {
            if (!r.ran()) {
                t.row(r.impl(), "unavailable: " + r.unavailable());
                continue;
            }
            boolean hw = !r.impl().equals("sw");
            mismatch |= r.agree() != r.packets() || r.valid() != r.packets();
            t.row(r.impl(), r.packets(), r.agree() + "/" + r.packets(), r.valid() + "/" + r.packets(),
                    hw ? fmt(r.hwCyclesPerPacket(), 1) : "-", fmt(r.cpuNsPerPacket(), 1),
                    hw ? fmt(r.hwNsPerPacket(), 1) : "-", hw ? fmt(r.simWallNs() / 1e6, 1) : "-",
                    hw ? fmt(r.simMcyclesPerSecond(), 2) : "-");
        }
        System.out.println(t.render());
        System.out.println("CPU ns/pkt: for sw the checksum itself; for hardware the host's share (reading descriptors,");
        System.out.println("writing completions). Simulation wall time is the simulator's cost and is not counted as CPU.");
        if (json != null) {
            writeJson(runs, n, bytes);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        if (runs.stream().anyMatch(r -> !r.ran())) {
            System.out.println();
            System.out.println("Some implementations could not run here (see the table); './tb impls' says why,");
            System.out.println("'sudo apt-get install -y verilator g++ make' then './tb build' brings the RTL ones.");
        }
        if (mismatch) {
            System.out.println("MISMATCH: an implementation disagreed with sw or produced an invalid checksum.");
            return Tb.EXIT_MISMATCH;
        }
        return 0;
    }

    private void writeJson(List<ChecksumDemo.Run> runs, int n, long bytes) throws java.io.IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("stage", "checksum");
        root.put("packets", n);
        root.put("bytes", bytes);
        root.put("seed", seed);
        root.put("clockMHz", clockMHz);
        ArrayNode arr = root.putArray("runs");
        for (ChecksumDemo.Run r : runs) {
            ObjectNode o = arr.addObject();
            o.put("impl", r.impl());
            if (!r.ran()) {
                o.put("unavailable", r.unavailable());
                continue;
            }
            o.put("packets", r.packets());
            o.put("agree", r.agree());
            o.put("checksumsValid", r.valid());
            o.put("hwCycles", r.hwCycles());
            o.put("hwCyclesPerPacket", r.hwCyclesPerPacket());
            o.put("cpuNsPerPacket", r.cpuNsPerPacket());
            o.put("hwNsPerPacket", r.hwNsPerPacket());
            o.put("simWallNs", r.simWallNs());
        }
        if (json.toAbsolutePath().getParent() != null) {
            Files.createDirectories(json.toAbsolutePath().getParent());
        }
        m.writeValue(json.toFile(), root);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
