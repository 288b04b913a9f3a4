package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.tb.demo.DemoTopology.DemoVm;
import dev.andromeda.testbed.tb.scenario.Scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The traffic of a scenario, drawn once from its seed so that every stage mix
 * sends exactly the same packets: flows between VMs of the same network (TCP or
 * UDP, to a port the destination's firewall admits), packets per flow from a
 * Pareto distribution (a few heavy flows carry most of the bytes, as in a
 * datacenter), frame sizes from the scenario's weighted sizes, and each packet
 * placed in one of the control plane's intervals -- a heavy flow sends in every
 * interval, so the hoverboard model sees it pass the offload threshold.
 */
public final class TrafficPlan {
    /** One flow: VM pair, protocol and ports, and how many packets it sends. */
    public record Flow(int id, DemoVm src, DemoVm dst, boolean tcp, int srcPort, int dstPort, int packets) {
    }

    /**
     * What a packet is in its flow's conversation: a UDP datagram, or for TCP the
     * two handshake segments a client and a server send first (each carrying the
     * packet id as 8 bytes of data, which a SYN may), then the client's data.
     */
    public enum Segment { UDP, SYN, SYN_ACK, DATA }

    /**
     * One packet: its unique id (carried in its payload), its flow, its frame size
     * and interval, what it is in the flow and, for TCP, its sequence and
     * acknowledgement numbers (in send order, so a capture reads as one consistent
     * connection per flow). A {@code SYN_ACK} goes the flow's way back.
     */
    public record Packet(long id, Flow flow, int frameBytes, int interval, Segment segment, int seq, int ack) {
        /** The same packet under another id (the cluster's rounds send the plan again). */
        public Packet withId(long newId) {
            return new Packet(newId, flow, frameBytes, interval, segment, seq, ack);
        }

        public DemoVm sender() {
            return segment == Segment.SYN_ACK ? flow.dst() : flow.src();
        }

        public DemoVm receiver() {
            return segment == Segment.SYN_ACK ? flow.src() : flow.dst();
        }

        public int senderPort() {
            return segment == Segment.SYN_ACK ? flow.dstPort() : flow.srcPort();
        }

        public int receiverPort() {
            return segment == Segment.SYN_ACK ? flow.srcPort() : flow.dstPort();
        }
    }

    private final List<Flow> flows;
    private final List<List<Packet>> byInterval;
    private final long frameBytes;

    private TrafficPlan(List<Flow> flows, List<List<Packet>> byInterval) {
        this.flows = List.copyOf(flows);
        this.byInterval = byInterval.stream().map(List::copyOf).toList();
        this.frameBytes = byInterval.stream().flatMap(List::stream).mapToLong(Packet::frameBytes).sum();
    }

    public static TrafficPlan draw(DemoTopology topology) {
        Scenario s = topology.scenario();
        Scenario.Traffic t = s.traffic();
        Random r = new Random(s.seed());
        List<Flow> flows = new ArrayList<>();
        int[] sizes = flowSizes(r, t.flows(), t.packets(), t.flowSizeAlpha());
        List<DemoVm> vms = topology.vms();
        for (int f = 0; f < t.flows(); f++) {
            flows.add(flow(r, f, vms, t.tcpShare(), sizes[f]));
        }
        int intervals = s.control().intervals();
        List<List<Packet>> byInterval = new ArrayList<>();
        for (int i = 0; i < intervals; i++) {
            byInterval.add(new ArrayList<>());
        }
        long id = 1;
        // TCP flows open in interval 0 before any data: every SYN, then every SYN-ACK
        // (the runner lets the network deliver each phase before the next), drawn from
        // the flow's own packets so the scenario's packet count is what is sent.
        List<Packet> syns = new ArrayList<>();
        List<Packet> synAcks = new ArrayList<>();
        int[] remaining = new int[flows.size()];
        for (Flow f : flows) {
            remaining[f.id()] = f.packets();
            if (f.tcp()) {
                syns.add(new Packet(id++, f, GuestFrames.handshakeFrame(), 0, Segment.SYN, 0, 0));
                remaining[f.id()]--;
                if (remaining[f.id()] > 0) {
                    synAcks.add(new Packet(id++, f, GuestFrames.handshakeFrame(), 0, Segment.SYN_ACK, 0, 0));
                    remaining[f.id()]--;
                }
            }
        }
        for (Flow f : flows) {
            for (int k = 0; k < remaining[f.id()]; k++) {
                // A flow of at least `intervals` packets sends in every interval; a small one at random.
                int interval = remaining[f.id()] >= intervals ? k % intervals : r.nextInt(intervals);
                byInterval.get(interval).add(new Packet(id++, f, frameSize(r, t), interval,
                        f.tcp() ? Segment.DATA : Segment.UDP, 0, 0));
            }
        }
        for (List<Packet> l : byInterval) {
            Collections.shuffle(l, r);
        }
        byInterval.get(0).addAll(0, synAcks);
        byInterval.get(0).addAll(0, syns);
        numberSegments(r, flows, byInterval);
        return new TrafficPlan(flows, byInterval);
    }

    /**
     * TCP sequence and acknowledgement numbers in send order: each side starts at a
     * random initial sequence number, a SYN takes one number and its data, data
     * advances by its payload, and the client acknowledges the server's SYN-ACK.
     */
    private static void numberSegments(Random r, List<Flow> flows, List<List<Packet>> byInterval) {
        int[] clientNext = new int[flows.size()];
        int[] serverNext = new int[flows.size()];
        for (Flow f : flows) {
            clientNext[f.id()] = r.nextInt();
            serverNext[f.id()] = r.nextInt();
        }
        for (List<Packet> l : byInterval) {
            for (int i = 0; i < l.size(); i++) {
                Packet p = l.get(i);
                int f = p.flow().id();
                int data = GuestFrames.payloadBytes(p);
                switch (p.segment()) {
                    case SYN -> {
                        l.set(i, new Packet(p.id(), p.flow(), p.frameBytes(), p.interval(), p.segment(),
                                clientNext[f], 0));
                        clientNext[f] += 1 + data;
                    }
                    case SYN_ACK -> {
                        l.set(i, new Packet(p.id(), p.flow(), p.frameBytes(), p.interval(), p.segment(),
                                serverNext[f], clientNext[f]));
                        serverNext[f] += 1 + data;
                    }
                    case DATA -> {
                        l.set(i, new Packet(p.id(), p.flow(), p.frameBytes(), p.interval(), p.segment(),
                                clientNext[f], serverNext[f]));
                        clientNext[f] += data;
                    }
                    case UDP -> {
                    }
                }
            }
        }
    }

    /** Packets per flow: Pareto weights, every flow at least one packet, summing to {@code packets}. */
    static int[] flowSizes(Random r, int flows, int packets, double alpha) {
        double[] w = new double[flows];
        double sum = 0;
        for (int i = 0; i < flows; i++) {
            w[i] = Math.pow(1 - r.nextDouble(), -1 / alpha); // Pareto with x_min = 1
            sum += w[i];
        }
        int[] n = new int[flows];
        int left = packets - flows;
        int given = 0;
        for (int i = 0; i < flows; i++) {
            n[i] = 1 + (int) Math.floor(left * w[i] / sum);
            given += n[i];
        }
        for (int i = 0; given < packets; i = (i + 1) % flows) { // the rounding's remainder, one each
            n[i]++;
            given++;
        }
        return n;
    }

    private static Flow flow(Random r, int id, List<DemoVm> vms, double tcpShare, int packets) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            DemoVm src = vms.get(r.nextInt(vms.size()));
            List<DemoVm> peers = vms.stream().filter(v -> v.vm().vni() == src.vm().vni() && v != src).toList();
            if (peers.isEmpty()) {
                continue;
            }
            DemoVm dst = peers.get(r.nextInt(peers.size()));
            boolean tcp = r.nextDouble() < tcpShare;
            int port = allowedPort(r, dst.network(), src.vm().ipv4(), tcp ? 6 : 17);
            if (port < 0) {
                tcp = !tcp;
                port = allowedPort(r, dst.network(), src.vm().ipv4(), tcp ? 6 : 17);
            }
            if (port >= 0) {
                return new Flow(id, src, dst, tcp, 1024 + r.nextInt(64_000), port, packets);
            }
        }
        throw new IllegalArgumentException("no two VMs of one network whose firewall admits TCP or UDP between them;"
                + " check the networks' firewall rules");
    }

    /** A destination port the network's firewall admits from {@code src} for {@code proto}, or -1. */
    private static int allowedPort(Random r, Scenario.Network net, int src, int proto) {
        List<Scenario.Rule> ok = net.firewall().stream()
                .filter(x -> (x.protocol() == -1 || x.protocol() == proto) && contains(x.prefix(), x.length(), src))
                .toList();
        if (ok.isEmpty()) {
            return -1;
        }
        Scenario.Rule x = ok.get(r.nextInt(ok.size()));
        return x.portLo() + r.nextInt(x.portHi() - x.portLo() + 1);
    }

    private static boolean contains(int prefix, int length, int ip) {
        int mask = length == 0 ? 0 : -1 << (32 - length);
        return (ip & mask) == (prefix & mask);
    }

    private static int frameSize(Random r, Scenario.Traffic t) {
        double total = t.sizes().stream().mapToDouble(Scenario.WeightedSize::weight).sum();
        double x = r.nextDouble() * total;
        for (Scenario.WeightedSize w : t.sizes()) {
            x -= w.weight();
            if (x < 0) {
                return w.bytes() > 0 ? w.bytes() : t.minFrame() + r.nextInt(t.maxFrame() - t.minFrame() + 1);
            }
        }
        return t.minFrame();
    }

    public List<Flow> flows() {
        return flows;
    }

    public List<Packet> interval(int i) {
        return byInterval.get(i);
    }

    public int intervals() {
        return byInterval.size();
    }

    public int packets() {
        return byInterval.stream().mapToInt(List::size).sum();
    }

    public long frameBytes() {
        return frameBytes;
    }
}
