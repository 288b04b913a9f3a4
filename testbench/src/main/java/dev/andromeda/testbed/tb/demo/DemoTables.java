package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.tb.report.TerminalWidth;
import dev.andromeda.testbed.tb.report.TextTable;
import dev.andromeda.testbed.tb.scenario.Scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The demo's results as terminal text: what runs, the scoreboard, stage costs, hoverboards over time. */
public final class DemoTables {
    private DemoTables() {
    }

    /** What the demo is about to run. */
    public static String header(Scenario s, Path workDir) {
        String nets = s.networks().stream()
                .map(n -> String.format("%s (VNI %d, %s)", n.name(), n.vni(), n.psp() ? "PSP" : "GENEVE"))
                .collect(Collectors.joining(", "));
        String text = String.format(Locale.ROOT, """
                tb demo: scenario '%s' (seed %d)
                  %d hosts + %d hoverboard(s), %d VMs per host per network; networks: %s
                  %,d packets in %,d flows over %d intervals; programming model %s; %d stage mixes
                  control plane: VM controller elected on embedded ZooKeeper (%s), hosts programmed over gRPC
                """, s.name(), s.seed(), s.hosts(), s.hoverboards(), s.vmsPerHost(), nets, s.traffic().packets(),
                s.traffic().flows(), s.control().intervals(), s.control().model(), s.mixes().size(),
                workDir.resolve("zookeeper").toAbsolutePath());
        return fit(text);
    }

    /** Prose lines wrapped to the terminal (issue 15); an indented line continues two columns deeper. */
    private static String fit(String text) {
        int width = TerminalWidth.get();
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            int indent = line.length() - line.stripLeading().length();
            b.append(String.join("\n", TerminalWidth.wrap(line, width, indent + 2))).append('\n');
        }
        return b.substring(0, b.length() - 1);
    }

    /**
     * A mix as the tables name it, short enough for 80 columns: {@code all rtl-ffm} when every
     * stage runs on one implementation, else the stages not on sw ({@code checksum=rtl-ffm}, the
     * others sw), {@code port=emu} when the port is the NIC. The JSON and the report keep the
     * whole name.
     */
    static String shortMix(String mix) {
        return dev.andromeda.testbed.fastpath.pipeline.StageMix.parse(mix).shortName(); // one naming, the charts' too
    }

    private static final String MIX_LEGEND = "(mix: 'all X' = every stage on X; 'stage=X' = that stage on X, the rest"
            + " on sw; 'port=X' = the hosts' physical port on the emulated NIC, on X; '+csum' = checksum=nic:"
            + " egress checksums inserted by that NIC; '+psp' = crypto=nic: PSP sealed and opened by it)";

    public static String render(Demo.Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n%,d packets (%,d bytes of guest frames) in %,d flows, per run.%n%n",
                r.packets(), r.frameBytes(), r.flows()));
        b.append(fit("Scoreboard: every packet delivered exactly once, to its VM, byte-identical to the all-sw run"))
                .append('\n');
        // Two tables of under 80 columns rather than one of 160 (issue 15): the verdict, then the cost.
        TextTable t = new TextTable("mix", "sent", "delivered", "lost", "dup", "wrong VM", "mismatches",
                "verdict");
        TextTable cost = new TextTable("mix", "wall s", "dataplane CPU ns/pkt", "coprocessor CPU ns/pkt");
        for (RunResult x : r.runs()) {
            if (!x.ran()) {
                t.section(fit(shortMix(x.mix()) + "  unavailable: " + x.unavailable()));
                continue;
            }
            Scoreboard.Verdict v = x.verdict();
            t.row(shortMix(x.mix()), v.sent(), v.delivered(), v.lost(), v.duplicates(), v.misdelivered(),
                    v.mismatches(), v.clean() ? "ok" : "FAIL");
            cost.row(shortMix(x.mix()), fmt(x.wallNs() / 1e9, 2),
                    fmt(v.sent() == 0 ? 0 : (double) x.dataplaneCpuNs() / v.sent(), 0),
                    fmt(v.sent() == 0 ? 0 : (double) x.coprocessorCpuNs() / v.sent(), 0));
        }
        b.append(t.render()).append(fit(MIX_LEGEND)).append("\n\n");
        b.append(cost.render()).append('\n');
        for (RunResult x : r.runs()) {
            if (x.ran() && !x.verdict().examples().isEmpty()) {
                b.append(x.mix()).append(":\n");
                x.verdict().examples().forEach(e -> b.append("  ").append(e).append('\n'));
            }
        }
        b.append(fit(String.format(Locale.ROOT, "%nStage costs per packet through the stage, all hosts, both"
                + " directions;%nhw ns modelled at %s;%nsim = simulator wall time, not CPU;"
                + " crypto=sw runs on the hosts' coprocessor threads, whose CPU is counted in its row%n",
                r.scenario().clocksText())));
        // The mix as a line above its stages, not a column: 72 columns instead of 133 (issue 15).
        TextTable c = new TextTable("  stage", "impl", "packets", "CPU ns/pkt", "hw cycles/pkt", "hw ns/pkt",
                "sim ms");
        for (RunResult x : r.runs()) {
            if (!x.stages().isEmpty()) {
                c.section(shortMix(x.mix()));
            }
            for (StageCost s : x.stages()) {
                // stage=nic: the NIC port's cycles, not the stage's (the stage only prepares the packets)
                boolean hw = s.hwCycles() > 0 || !s.impl().equals("sw") && !s.impl().equals("nic");
                c.row("  " + s.stage(), s.impl(), s.packets(), fmt(s.cpuNsPerPacket(), 1),
                        hw ? fmt(s.hwCyclesPerPacket(), 1) : "-", hw ? fmt(s.hwNsPerPacket(), 1) : "-",
                        hw ? fmt(s.simNs() / 1e6, 1) : "-");
            }
        }
        b.append(c.render()).append('\n');
        RunResult ref = r.runs().stream().filter(RunResult::ran).findFirst().orElse(null);
        if (ref != null && !ref.intervals().isEmpty()) {
            b.append(fit(String.format(Locale.ROOT, "%nShare of inter-host traffic through the hoverboards, per"
                    + " interval (%s run; the same in every run):%n", shortMix(ref.mix()))));
            TextTable h = new TextTable("interval", "inter-host pkts", "via hoverboard", "share", "offload flows");
            for (RunResult.Interval i : ref.intervals()) {
                h.row(i.index(), i.interHostPackets(), i.viaHoverboard(),
                        fmt(100 * i.hoverboardShare(), 1) + " %", i.offloadFlows());
            }
            b.append(h.render()).append('\n');
            List<String> o = ref.offloadFlows();
            b.append(String.format(Locale.ROOT, "%nOffload flows the VM controller programmed (%d):%n", o.size()));
            o.stream().limit(12).forEach(x -> b.append("  ").append(x).append('\n'));
            if (o.size() > 12) {
                b.append("  ... ").append(o.size() - 12).append(" more in the JSON and the report\n");
            }
        }
        if (r.runs().stream().anyMatch(x -> x.ran() && x.misses() != null)) {
            b.append(fit(String.format(Locale.ROOT, "%nOn-demand flow misses: each went on through the"
                    + " hoverboards while its host told the controller, which programmed the flow"
                    + " (none is dropped):%n")));
            TextTable m = new TextTable("mix", "reported", "held back", "programmed", "rate-limited");
            r.runs().stream().filter(x -> x.ran() && x.misses() != null).forEach(x -> m.row(shortMix(x.mix()),
                    x.misses().reported(), x.misses().heldBack(), x.misses().programmed(),
                    x.misses().rateLimited()));
            b.append(m.render()).append('\n');
        }
        if (r.runs().stream().anyMatch(x -> x.ran() && x.nic() != null)) {
            b.append(fit(String.format(Locale.ROOT, "%nThe emulated NICs (all hosts): frames through them, what"
                    + " they did inline, error completions, cycles simulated:%n")));
            TextTable n = new TextTable("mix", "out", "in", "csum", "sealed", "opened", "errors", "cycles");
            r.runs().stream().filter(x -> x.ran() && x.nic() != null).forEach(x -> n.row(shortMix(x.mix()),
                    x.nic().framesOut(), x.nic().framesIn(), x.nic().checksumsInserted(), x.nic().pspSealed(),
                    x.nic().pspOpened(), x.nic().errors(), x.nic().cycles()));
            b.append(n.render()).append('\n');
        }
        r.runs().stream().filter(x -> x.ran() && !x.drops().isEmpty()).forEach(x ->
                b.append(x.mix()).append(" drops: ").append(x.drops()).append('\n'));
        return b.toString();
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
