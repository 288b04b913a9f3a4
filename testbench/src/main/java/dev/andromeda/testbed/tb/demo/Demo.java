package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.tb.pcap.PcapTap;
import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.OffloadProvider;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.tb.scenario.Scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tb demo}'s engine: one scenario, its traffic drawn once, run under
 * each stage mix in turn on a fresh network programmed by a VM controller on
 * an embedded ZooKeeper (one for the whole demo, its data under
 * {@code workDir/zookeeper}). The first mix (all {@code sw}) is the reference:
 * every later run's deliveries are compared with it byte for byte.
 */
public final class Demo {
    /** What the demo found. */
    public record Report(Scenario scenario, int packets, long frameBytes, int flows, List<RunResult> runs,
                         Path workDir) {
        public boolean clean() {
            return runs.stream().allMatch(r -> r.ran() && r.verdict().clean());
        }
    }

    /** Told about progress: which run (1-based, of how many) and packets sent of how many. */
    public interface Progress {
        void update(int run, int runs, String mix, long sent, long packets);
    }

    private Demo() {
    }

    /**
     * @param warmupPackets packets of a warm-up run under every mix before the measured runs (0: none), so
     *                      the CPU figures are less the JIT compiler's start-up; the all-sw mix warms up
     *                      on {@link #SW_WARMUP_PACKETS} (it is cheap, and its code is every mix's)
     * @param pcapTap       sees the reference run's frames on the wire (null: no capture)
     */
    public static Report run(Scenario scenario, Path workDir, int warmupPackets, PcapTap pcapTap, Progress progress)
            throws IOException, InterruptedException {
        return run(scenario, workDir, warmupPackets, pcapTap, progress, null);
    }

    /**
     * As above, every run's network wired as a version-ladder rung (null: the demo's own wiring), the
     * rung's stage mix the only one run.
     */
    public static Report run(Scenario scenario, Path workDir, int warmupPackets, PcapTap pcapTap, Progress progress,
                             LadderRung rung) throws IOException, InterruptedException {
        DemoTopology topology = new DemoTopology(scenario);
        TrafficPlan plan = TrafficPlan.draw(topology);
        OffloadOptions options = new OffloadOptions(scenario.seed(), 0, 0, null,
                scenario.clockMHz() > 0 ? scenario.clockMHz() : OffloadOptions.defaults().clockMHz()); // costs: Scenario.clockMHz(stage)
        List<RunResult> runs = new ArrayList<>();
        clearPreviousRuns(workDir);
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(workDir.resolve("zookeeper"))) {
            List<String> mixes = rung == null ? scenario.mixes() : List.of(rung.mix().toString());
            if (warmupPackets > 0) {
                warmUp(scenario, mixes, zk, workDir.resolve("warm-up"), options, warmupPackets, progress, rung);
            }
            DemoRunner runner = new DemoRunner(topology, plan, zk, workDir, options, rung);
            Map<Long, byte[]> reference = null;
            for (int i = 0; i < mixes.size(); i++) {
                StageMix mix = StageMix.parse(mixes.get(i));
                String why = unavailability(mix);
                if (why != null) {
                    runs.add(RunResult.unavailable(mix.toString(), why));
                    continue;
                }
                int run = i + 1;
                DemoRunner.Outcome o = runner.run(i, mix, reference, reference == null ? pcapTap : null,
                        sent -> progress.update(run, mixes.size(), mix.toString(), sent, plan.packets()));
                if (reference == null) {
                    reference = o.delivered();
                }
                runs.add(o.result());
            }
        }
        return new Report(scenario, plan.packets(), plan.frameBytes(), plan.flows().size(), runs, workDir);
    }

    /**
     * Every demo starts from nothing: the hosts' checkpoints and the ZooKeeper data of an
     * earlier demo in the same work directory would otherwise be restored (fail static
     * working as designed) and the hosts would start on that demo's programs.
     */
    static void clearPreviousRuns(Path workDir) throws IOException {
        if (!Files.isDirectory(workDir)) {
            return;
        }
        try (Stream<Path> top = Files.list(workDir)) {
            for (Path p : top.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("run-") || name.equals("warm-up") || name.equals("zookeeper")) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Enough for C2 to compile the dataplane's and the coprocessors' per-batch code (measured: ~10^4). */
    static final int SW_WARMUP_PACKETS = 20_000;

    private static void warmUp(Scenario scenario, List<String> mixes, EmbeddedZooKeeper zk, Path dir,
                               OffloadOptions options, int packets, Progress progress, LadderRung rung)
            throws IOException, InterruptedException {
        for (int i = 0; i < mixes.size(); i++) {
            StageMix mix = StageMix.parse(mixes.get(i));
            if (unavailability(mix) != null) {
                continue;
            }
            boolean software = mix.toString().equals(StageMix.software().toString());
            DemoTopology small = new DemoTopology(withPackets(scenario, software ? SW_WARMUP_PACKETS : packets));
            TrafficPlan warm = TrafficPlan.draw(small);
            int run = i + 1;
            new DemoRunner(small, warm, zk, dir, options, rung).run(i, mix, null, null,
                    sent -> progress.update(run, mixes.size(), "warm-up " + mix, sent, warm.packets()));
        }
    }

    static Scenario withPackets(Scenario s, int packets) {
        Scenario.Traffic t = s.traffic();
        Scenario.Traffic fewer = new Scenario.Traffic(packets, Math.min(t.flows(), packets), t.flowSizeAlpha(),
                t.tcpShare(), t.minFrame(), t.maxFrame(), t.sizes());
        return new Scenario(s.name(), s.seed(), s.hosts(), s.hoverboards(), s.vmsPerHost(), s.control(), s.networks(),
                fewer, s.mixes(), s.clockMHz(), s.dataplane());
    }

    /** Why some stage of the mix cannot run here (its implementation did not load), or null. */
    static String unavailability(StageMix mix) {
        for (Stage s : Stage.values()) {
            if (mix.implementation(s).equals(StageMix.NIC)) {
                continue; // checksum=nic, crypto=nic: the NIC port's, checked below
            }
            OffloadProvider<?> p = Offloads.provider(s.providerType(), mix.implementation(s));
            if (!p.isAvailable()) {
                return s.label() + "=" + mix.implementation(s) + ": " + p.unavailabilityCause();
            }
        }
        if (!mix.port().equals("sw")) {
            String why = dev.andromeda.testbed.hw.port.NicPort.unavailability(mix.port());
            return why == null ? null : "port=" + mix.port() + ": " + why;
        }
        return null;
    }
}
