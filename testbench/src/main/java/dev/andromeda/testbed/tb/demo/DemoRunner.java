package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.programming.OffloadFlow;
import dev.andromeda.testbed.control.host.MissReporter;
import dev.andromeda.testbed.control.host.UsageReporter;
import dev.andromeda.testbed.control.programming.OffloadPlanner;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.coprocessor.host.HostCoprocessors;
import dev.andromeda.testbed.fastpath.dataplane.Drop;
import dev.andromeda.testbed.fastpath.dataplane.GuestNic;
import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.Pipeline;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.hw.port.NicPort;
import dev.andromeda.testbed.tb.demo.TrafficPlan.Packet;
import dev.andromeda.testbed.tb.pcap.PcapTap;
import dev.andromeda.testbed.tb.scenario.Scenario;

import java.io.IOException;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Runs a scenario's traffic under one stage mix on a fresh {@link DemoNetwork}.
 * The loop is the hosts' own busy-polling duty cycle, driven on this thread:
 * the VMs send an interval's packets in bursts (32 packets per VM on average --
 * an egress batch each, as a busy host sees them), the hosts run until the
 * network is quiet after each burst, and every frame a
 * VM receives goes to the {@link Scoreboard}. At each interval's end the
 * sending hosts' usage (default-routed flows and offload flows) is reported to
 * the VM controller, which plans offload flows and reprograms the hosts; the
 * next interval starts once they run the new program.
 */
public final class DemoRunner {
    private final DemoTopology topology;
    private final TrafficPlan plan;
    private final EmbeddedZooKeeper zk;
    private final Path workDir;
    private final OffloadOptions options;
    /** The version-ladder rung the network is wired as, or null. */
    private final LadderRung rung;

    public DemoRunner(DemoTopology topology, TrafficPlan plan, EmbeddedZooKeeper zk, Path workDir,
                      OffloadOptions options) {
        this(topology, plan, zk, workDir, options, null);
    }

    /** @param rung wire every run's network as this version-ladder rung (null: the demo's own wiring) */
    public DemoRunner(DemoTopology topology, TrafficPlan plan, EmbeddedZooKeeper zk, Path workDir,
                      OffloadOptions options, LadderRung rung) {
        this.rung = rung;
        this.topology = topology;
        this.plan = plan;
        this.zk = zk;
        this.workDir = workDir;
        this.options = options;
    }

    /**
     * @param reference the reference run's delivered frames (null when this is the reference)
     * @param tap       sees every frame on the wire, or null
     * @param progress  told the packets sent so far
     */
    public Outcome run(int index, StageMix mix, Map<Long, byte[]> reference, PcapTap tap, LongConsumer progress)
            throws IOException, InterruptedException {
        Scenario s = topology.scenario();
        long[] clock = {0};
        long[] wireNs = {0};
        long intervalNs = (long) (s.control().intervalSeconds() * 1e9);
        if (tap != null) {
            tap.clock(() -> wireNs[0]);
        }
        Scoreboard board = new Scoreboard(reference);
        long t0 = System.nanoTime();
        try (DemoNetwork net = new DemoNetwork(topology, mix, options, zk, workDir.resolve("run-" + index),
                () -> clock[0], tap, rung)) {
            List<RunResult.Interval> intervals = new ArrayList<>();
            List<String> offloadLog = new ArrayList<>();
            long sent = 0;
            long cpu0 = dataplaneCpu(net);
            for (int i = 0; i < plan.intervals(); i++) {
                long wire0 = vmHostsToWire(net);
                long hb0 = hoverboardForwarded(net);
                int inBurst = 0;
                int burst = 32 * net.nics.size();
                List<Packet> packets = plan.interval(i);
                TrafficPlan.Segment phase = null;
                for (int k = 0; k < packets.size(); k++) {
                    Packet p = packets.get(k);
                    if (phase != p.segment() && (phase == TrafficPlan.Segment.SYN
                            || phase == TrafficPlan.Segment.SYN_ACK)) {
                        pump(net, board); // the handshake's each phase is delivered before the next is sent
                    }
                    phase = p.segment();
                    // The capture's time: the interval's packets spread evenly over the interval.
                    wireNs[0] = clock[0] + intervalNs * k / packets.size();
                    byte[] frame = GuestFrames.frame(p);
                    board.expect(p.id(), p.receiver().key(), GuestFrames.completed(frame, p.flow().tcp()));
                    GuestNic nic = net.guests.get(p.sender().key());
                    // Before Andromeda 1.5 the guest completes its checksum itself and asks nothing of the vNIC.
                    boolean inGuest = rung != null && rung.guestChecksums();
                    byte[] out = inGuest ? GuestFrames.completed(frame, p.flow().tcp()) : frame;
                    while (!(inGuest ? nic.send(out, HostBatch.NO_CSUM, 0)
                            : nic.send(out, GuestFrames.csumStart(), GuestFrames.csumOffset(p.flow().tcp())))) {
                        pump(net, board);   // ring or pool full: let the hosts move packets, then try again
                    }
                    sent++;
                    if (++inBurst == burst) {
                        inBurst = 0;
                        pump(net, board); // a VM's ring (256) never holds more than one burst
                        progress.accept(sent);
                    }
                }
                pump(net, board);
                progress.accept(sent);
                clock[0] += intervalNs;
                List<String> changes = endInterval(net);
                for (String c : changes) {
                    offloadLog.add("interval " + i + ": " + c);
                }
                intervals.add(new RunResult.Interval(i, vmHostsToWire(net) - wire0, hoverboardForwarded(net) - hb0,
                        net.vmc.offloadFlows().size()));
                if (!changes.isEmpty()) {
                    net.awaitConverged();
                }
            }
            pump(net, board);
            long cpu = dataplaneCpu(net) - cpu0;
            long coprocessorCpu = net.coprocessors.stream().mapToLong(HostCoprocessors::cpuNs).sum();
            return new Outcome(new RunResult(mix.toString(), null, board.verdict(),
                    StageCost.of(net.hosts.values(), topology.scenario(), coprocessorCpu), intervals, offloadLog,
                    drops(net),
                    net.vmc.programVersion(), System.nanoTime() - t0, cpu, coprocessorCpu, misses(net),
                    nicWork(net)),
                    board.deliveredFrames());
        }
    }

    /** The run's result and the frames it delivered (the reference for the runs after it). */
    public record Outcome(RunResult result, Map<Long, byte[]> delivered) {
    }

    /** One turn of every host, and the VMs take what they received. */
    private static int turn(DemoNetwork net, Scoreboard board) {
        int work = 0;
        for (Host h : net.hosts.values()) {
            work += net.pumpHop();
            work += h.doWork();
            work += net.pumpHop();
            drainVms(net, board);
        }
        return work;
    }

    /** Turns until no host moves a packet three turns running and no work is out at a coprocessor. */
    private static void pump(DemoNetwork net, Scoreboard board) {
        for (int idle = 0; idle < 3; ) {
            int work = turn(net, board);
            boolean outstanding = net.hosts.values().stream().anyMatch(h -> h.atCoprocessors() > 0)
                    || net.inFlight() > 0;   // in a VMM thread's hands, or in a kernel socket
            idle = work == 0 && !outstanding ? idle + 1 : 0;
            if (work == 0 && outstanding) {
                Thread.yield(); // the coprocessors need the core more than this loop does
            }
        }
    }

    private static void drainVms(DemoNetwork net, Scoreboard board) {
        for (Map.Entry<Long, GuestNic> e : net.guests.entrySet()) {
            for (VirtioNic.Received r; (r = e.getValue().receive()) != null; ) {
                board.received(e.getKey(), r.frame());
            }
        }
    }

    /**
     * The sending hosts report their usage to the controller over their programming streams --
     * default-routed flows as measured on the way to the hoverboards, direct (offload) flows
     * from their flow-table counters -- and once the controller has taken every report, it ends
     * the interval: offload flows above the threshold are programmed, idle ones removed.
     */
    private List<String> endInterval(DemoNetwork net) throws InterruptedException {
        if (net.onDemand != null) {
            net.awaitConverged(); // the misses resolved so far are programmed before the next interval
            return List.of();
        }
        if (!"hoverboard".equals(topology.scenario().control().model())) {
            return List.of();
        }
        Map<Integer, Long> sequences = new LinkedHashMap<>();
        for (Map.Entry<Integer, UsageReporter> e : net.usage.entrySet()) {
            long seq = e.getValue().report();
            if (seq < 0) {
                throw new IllegalStateException("host " + e.getKey() + " has no stream to the controller to report on");
            }
            sequences.put(e.getKey(), seq);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Map.Entry<Integer, Long> e : sequences.entrySet()) {
            String host = VmcNode.hostName(e.getKey());
            while (net.vmc.controller().usageSequence(host) < e.getValue()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the controller did not receive " + host + "'s usage report "
                            + e.getValue() + " within 30 s");
                }
                Thread.sleep(1);
            }
        }
        OffloadPlanner.Decisions d = net.vmc.endUsageInterval();
        List<String> changes = new ArrayList<>();
        for (OffloadFlow f : d.added()) {
            changes.add(String.format("offload %s (%.0f kbps)", describe(f), d.bitsPerSecond().get(f) / 1000));
        }
        for (OffloadFlow f : d.removed()) {
            changes.add("idle, removed " + describe(f));
        }
        return changes;
    }

    private static String describe(OffloadFlow f) {
        return String.format("vni %d %s %s -> %s from host %d", f.vni(), f.proto() == 6 ? "tcp" : f.proto() == 17
                ? "udp" : "proto " + f.proto(), ip(f.src()), ip(f.dst()), f.senderHostId());
    }

    static String ip(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }

    private long vmHostsToWire(DemoNetwork net) {
        long n = 0;
        for (Map.Entry<Integer, Host> e : net.hosts.entrySet()) {
            if (!topology.isHoverboard(e.getKey())) {
                n += e.getValue().counters().toWire();
            }
        }
        return n;
    }

    private long hoverboardForwarded(DemoNetwork net) {
        long n = 0;
        for (Map.Entry<Integer, Host> e : net.hosts.entrySet()) {
            if (topology.isHoverboard(e.getKey())) {
                n += e.getValue().counters().hairpinned();
            }
        }
        return n;
    }

    private static long dataplaneCpu(DemoNetwork net) {
        long n = 0;
        for (Host h : net.hosts.values()) {
            for (var p : pipelines(h)) {
                for (var a : p.accounts()) {
                    n += a.cpuNs();
                }
            }
        }
        return n;
    }

    /** Every pipeline of a host: egress, ingress, forwarding and what comes back from its coprocessors. */
    static List<Pipeline<HostBatch>> pipelines(Host h) {
        List<Pipeline<HostBatch>> all = new ArrayList<>(List.of(h.egress(), h.ingress(), h.forward()));
        all.addAll(h.fromCoprocessor());
        return all;
    }

    private static RunResult.FlowMisses misses(DemoNetwork net) {
        if (net.onDemand == null) {
            return null;
        }
        return new RunResult.FlowMisses(net.misses.stream().mapToLong(MissReporter::reported).sum(),
                net.misses.stream().mapToLong(MissReporter::suppressed).sum(), net.onDemand.programmed(),
                net.onDemand.rateLimited());
    }

    private static RunResult.NicWork nicWork(DemoNetwork net) {
        if (net.nicPorts.isEmpty()) {
            return null;
        }
        long out = 0, in = 0, csums = 0, sealed = 0, opened = 0, errors = 0, cycles = 0;
        for (NicPort p : net.nicPorts) {
            out += p.framesOut();
            in += p.framesIn();
            csums += p.checksumsInserted();
            sealed += p.pspSealed();
            opened += p.pspOpened();
            errors += p.errors();
            cycles += p.cycles();
        }
        return new RunResult.NicWork(out, in, csums, sealed, opened, errors, cycles);
    }

    private static Map<String, Long> drops(DemoNetwork net) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Host h : net.hosts.values()) {
            for (Drop d : Drop.values()) {
                long n = h.counters().drops(d);
                if (n > 0) {
                    out.merge(h.name() + " " + d.name(), n, Long::sum);
                }
            }
            if (h.counters().malformedTotal() > 0) {
                out.merge(h.name() + " MALFORMED", h.counters().malformedTotal(), Long::sum);
            }
            long refused = h.vms().stream().mapToLong(VirtioNic::txRefused).sum();
            if (refused > 0) {
                out.merge(h.name() + " VM_TX_RING_FULL (retried)", refused, Long::sum);
            }
        }
        return out;
    }
}
