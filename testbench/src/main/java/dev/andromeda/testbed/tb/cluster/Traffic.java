package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.tb.demo.DemoTopology;
import dev.andromeda.testbed.tb.demo.GuestFrames;
import dev.andromeda.testbed.tb.demo.TrafficPlan;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One host's share of a cluster's traffic and of its scoreboard. Every host draws the same
 * {@link TrafficPlan} from the scenario's seed; {@code tb cluster} asks each host to send, in a
 * numbered round, the packets whose source VM it runs (packet ids are {@code round * 10^7 + id},
 * so rounds never collide), and later asks what arrived for its VMs: every packet once, at the
 * right VM, byte-identical to the guest's frame with its checksum completed (RFC 1071, apart from
 * the dataplane). Sending and receiving happen on the dataplane thread ({@link #doWork}); the
 * HTTP thread only queues a request and reads the counts.
 */
final class Traffic {
    static final long ROUND = 10_000_000L;
    /** Frames handed to the VMs' NICs per millisecond: loopback UDP drops bursts in the kernel. */
    static final int PER_MS = 24;

    /** One round to send: all intervals or one, leaving out VM {@code exceptVm}'s own packets (-1: none). */
    private record Request(int round, int interval, int exceptVm) {
    }

    /** What one round delivered here. */
    private static final class Tally {
        final BitSet delivered = new BitSet();
        long duplicates;
        long misdelivered;
        long mismatches;
        long sent;
        long refused;
    }

    private volatile DemoTopology topology;
    private volatile TrafficPlan plan;
    private final int hostId;
    private final Map<Integer, VirtioNic> nics;
    private final Log log;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<TrafficPlan.Packet> pending = new ArrayDeque<>(); // dataplane thread
    private final Map<Integer, Tally> rounds = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, TrafficPlan.Packet> byId = new HashMap<>();
    private long nextSendNanos;
    private volatile int pendingCount; // pending's size, for the HTTP thread

    Traffic(DemoTopology topology, int hostId, Map<Integer, VirtioNic> nics, Log log) {
        this.hostId = hostId;
        this.nics = nics;
        this.log = log;
        topology(topology);
    }

    /** A new desired state (VMs moved): the plan's flows stay, their VMs' hosts change. */
    void topology(DemoTopology t) {
        this.topology = t;
        TrafficPlan p = TrafficPlan.draw(t);
        this.plan = p;
        synchronized (byId) {
            byId.clear();
            for (int i = 0; i < t.scenario().control().intervals(); i++) {
                for (TrafficPlan.Packet k : p.interval(i)) {
                    byId.put(k.id(), k);
                }
            }
        }
    }

    /** Queues round {@code round}'s packets from this host's VMs (one interval, or all when -1); returns how many. */
    String schedule(int round, int interval, int exceptVm) {
        if (round < 0 || round > 200) {
            throw new IllegalArgumentException("round must be 0..200");
        }
        long n = 0;
        DemoTopology t = topology;
        for (int i = 0; i < t.scenario().control().intervals(); i++) {
            if (interval < 0 || interval == i) {
                n += plan.interval(i).stream().filter(p -> p.sender().vm().hostId() == hostId
                        && p.sender().vm().id() != exceptVm).count();
            }
        }
        rounds.computeIfAbsent(round, r -> new Tally());
        requests.add(new Request(round, interval, exceptVm));
        return Long.toString(n);
    }

    /** Sends what is due, paced, and takes what arrived. Dataplane thread. */
    int doWork() {
        int work = 0;
        for (Request r; (r = requests.poll()) != null; ) {
            for (int i = 0; i < topology.scenario().control().intervals(); i++) {
                if (r.interval() < 0 || r.interval() == i) {
                    for (TrafficPlan.Packet p : plan.interval(i)) {
                        if (p.sender().vm().hostId() == hostId && p.sender().vm().id() != r.exceptVm()) {
                            pending.add(p.withId(r.round() * ROUND + p.id()));
                        }
                    }
                }
            }
        }
        long now = System.nanoTime();
        pendingCount = pending.size();
        if (!pending.isEmpty() && now >= nextSendNanos) {
            nextSendNanos = now + 1_000_000L;
            for (int k = 0; k < PER_MS && !pending.isEmpty(); k++) {
                TrafficPlan.Packet p = pending.peek();
                VirtioNic nic = nics.get(p.sender().vm().id());
                Tally t = rounds.computeIfAbsent((int) (p.id() / ROUND), x -> new Tally());
                if (nic == null) { // moved away meanwhile: its new host sends it
                    pending.poll();
                    continue;
                }
                if (!nic.send(GuestFrames.frame(p), GuestFrames.csumStart(), GuestFrames.csumOffset(p.flow().tcp()))) {
                    break; // ring full: again next millisecond
                }
                pending.poll();
                synchronized (t) {
                    t.sent++;
                }
                work++;
            }
        }
        for (Map.Entry<Integer, VirtioNic> e : nics.entrySet()) {
            for (VirtioNic.Received rx; (rx = e.getValue().receive()) != null; ) {
                take(e.getKey(), rx.frame());
                work++;
            }
        }
        return work;
    }

    private void take(int vmId, byte[] frame) {
        long id = GuestFrames.packetId(frame);
        int round = (int) (id / ROUND);
        Tally t = rounds.computeIfAbsent(round, r -> new Tally());
        TrafficPlan.Packet base;
        synchronized (byId) {
            base = byId.get(id % ROUND);
        }
        if (base == null || base.receiver().vm().id() != vmId) {
            synchronized (t) {
                t.misdelivered++;
            }
            return;
        }
        TrafficPlan.Packet sent = base.withId(id);
        byte[] want = GuestFrames.completed(GuestFrames.frame(sent), base.flow().tcp());
        synchronized (t) {
            if (!Arrays.equals(want, frame)) {
                if (t.mismatches++ == 0) {
                    log.say("round " + round + ": packet " + id + " arrived changed");
                }
                return;
            }
            int bit = (int) (id % ROUND);
            if (t.delivered.get(bit)) {
                t.duplicates++;
            } else {
                t.delivered.set(bit);
            }
        }
    }

    /**
     * One JSON object: what round {@code round} sent from here and delivered here. {@code ids} is
     * the set of packet ids (within the round) delivered here, a little-endian bit set in base64:
     * the cluster's scoreboard counts a packet delivered at two hosts once, and the second time as
     * a duplicate, which summing per-host counts cannot.
     */
    String received(int round) {
        Tally t = rounds.get(round);
        DemoTopology topo = topology;
        long expected = 0;
        for (int i = 0; i < topo.scenario().control().intervals(); i++) {
            expected += plan.interval(i).stream().filter(p -> p.receiver().vm().hostId() == hostId).count();
        }
        if (t == null) {
            return "{\"round\":" + round + ",\"expected\":" + expected + ",\"sent\":0,\"delivered\":0,"
                    + "\"duplicates\":0,\"misdelivered\":0,\"mismatches\":0,\"pending\":0,\"ids\":\"\"}\n";
        }
        synchronized (t) {
            return "{\"round\":" + round + ",\"expected\":" + expected + ",\"sent\":" + t.sent + ",\"delivered\":"
                    + t.delivered.cardinality() + ",\"duplicates\":" + t.duplicates + ",\"misdelivered\":"
                    + t.misdelivered + ",\"mismatches\":" + t.mismatches + ",\"pending\":" + pendingCount
                    + ",\"ids\":\"" + Base64.getEncoder().encodeToString(t.delivered.toByteArray()) + "\"}\n";
        }
    }

    void metrics(HttpEndpoint.Metrics m) {
        long sent = 0;
        long delivered = 0;
        for (Tally t : rounds.values()) {
            synchronized (t) {
                sent += t.sent;
                delivered += t.delivered.cardinality();
            }
        }
        m.counter("andromeda_traffic_sent_total", "", sent);
        m.counter("andromeda_traffic_delivered_total", "", delivered);
    }
}
