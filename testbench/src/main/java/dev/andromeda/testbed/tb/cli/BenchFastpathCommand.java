package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.andromeda.testbed.tb.bench.FastpathBenchmark;
import dev.andromeda.testbed.tb.report.TextTable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code tb bench fastpath}: the host fast path per packet, JMH with the GC profiler. */
@Command(name = "fastpath", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "The host fast path on one core (FastpathBenchmark, JMH, GC profiler for allocation):",
                "  egress     64-byte inner UDP: parse, anti-spoofing, flow-table hit, firewall port-range check,",
                "             software checksum, GENEVE encapsulation; batches of 32",
                "  psp1500    the same at 1,500 bytes on a PSP network (JDK AES-GCM), plus a frame restore copy",
                "  ingress    64-byte inner frames arriving in GENEVE: parse, decap, VM lookup, checksum check; 128",
                "and the egress path over flow tables of 1K, 10K, 100K and 1M flows.",
                ""})
public final class BenchFastpathCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Short runs (under a minute in all).")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Before any work: a bad output path must not cost the whole run (issue 15).
        OutputPaths.checkFile(spec, json);
        String cls = FastpathBenchmark.class.getName();
        Collection<RunResult> main = run(cls + "\\.(egress|egressPsp1500|ingress)$", new String[] {"1000"});
        Collection<RunResult> sweep = run(cls + "\\.egress$", quick
                ? new String[] {"1000", "1000000"} : new String[] {"1000", "10000", "100000", "1000000"});
        double egress = Double.NaN;
        double alloc = Double.NaN;
        double psp = Double.NaN;
        double ingress = Double.NaN;
        double ingressAlloc = Double.NaN;
        for (RunResult r : main) {
            String label = r.getParams().getBenchmark();
            double ns = r.getPrimaryResult().getScore();
            double bytes = allocated(r);
            if (label.endsWith(".egress")) {
                egress = ns;
                alloc = bytes;
            } else if (label.endsWith(".egressPsp1500")) {
                psp = ns;
            } else {
                ingress = ns;
                ingressAlloc = bytes;
            }
        }
        TreeMap<Integer, Double> bySize = new TreeMap<>();
        for (RunResult r : sweep) {
            bySize.put(Integer.parseInt(r.getParams().getParam("flows")), r.getPrimaryResult().getScore());
        }
        TextTable t = new TextTable("path", "ns/packet", "bytes allocated/packet", "note");
        t.row("egress 64 B", f(egress), f(alloc), "1,000 flows, batch 32");
        t.row("ingress 64 B", f(ingress), f(ingressAlloc), "batch 128");
        t.row("egress PSP 1,500 B", f(psp), "-", String.format(Locale.ROOT, "%.2f GB/s of packets", 1500 / psp));
        for (var e : bySize.entrySet()) {
            t.row("egress, " + String.format(Locale.ROOT, "%,d", e.getKey()) + " flows", f(e.getValue()), "-",
                    "table size sweep");
        }
        System.out.println();
        System.out.println(t.render());
        if (json != null) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("nsPerPacket", egress);
            root.put("bytesAllocatedPerPacket", alloc);
            root.put("ingressNsPerPacket", ingress);
            root.put("ingressBytesAllocatedPerPacket", ingressAlloc);
            root.put("psp1500NsPerPacket", psp);
            root.put("psp1500GBps", 1500 / psp);
            ObjectNode s = root.putObject("tableSizeSweepNsPerPacket");
            bySize.forEach((k, v) -> s.put(Integer.toString(k), v));
            if (json.toAbsolutePath().getParent() != null) {
                Files.createDirectories(json.toAbsolutePath().getParent());
            }
            m.writeValue(json.toFile(), root);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }

    private Collection<RunResult> run(String include, String[] flows) throws Exception {
        return new Runner(new OptionsBuilder()
                .include(include)
                .param("flows", flows)
                .forks(1)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .addProfiler(GCProfiler.class)
                .warmupIterations(quick ? 2 : 3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .build()).run();
    }

    /** Bytes allocated per packet: JMH's gc.alloc.rate.norm is per operation, and an operation is a packet. */
    private static double allocated(RunResult r) {
        Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
        return norm == null ? Double.NaN : norm.getScore();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
