package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.agent.Agent;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.flow.FlowTableHolder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.PacketBatch;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.pipeline.Pipeline;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.fastpath.psp.PspVersion;

import java.util.List;

/**
 * One host's dataplane: the VMs' virtio NICs, the fast path (an egress and an
 * ingress {@link Pipeline} of named stages), the flow table, the offload
 * stages chosen by a {@link StageMix}, PSP, and a physical port.
 *
 * <pre>
 * egress  (per VM, batches of 32):  copy > parse > spoof > flow > checksum > internet > encap > psp > tx
 * ingress (port, batches of 128):   parse > psp > decap > rx-checksum > copy/deliver
 * forward (from ingress, sent on):  psp > tx      (hoverboard routes, live migration's hairpin)
 * </pre>
 *
 * With {@link Coprocessors}, PSP's crypto (while the crypto stage is software)
 * and Internet traffic leave the loop for per-VM coprocessor threads and come
 * back on a later turn ({@link CoprocessorPath}).
 *
 * {@link #doWork()} is one turn of the busy-polling loop (an agent's duty
 * cycle): it returns the packets it moved, so an idle strategy can back off
 * when there are none. A host, its VMs' send/receive and its hardware models
 * run on one thread.
 */
public final class Host implements Agent, AutoCloseable {
    private final String name;
    private final HostContext ctx;
    private final OffloadOptions options;
    private final Pipeline<HostBatch> egress = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    private final Pipeline<HostBatch> ingress = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    private final Pipeline<HostBatch> forward = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    /** What comes back from the coprocessors, and what the Internet port brings. */
    private final CoprocessorPath coprocessorPath;
    private final HostBatch egressBatch = new HostBatch(PacketBatch.EGRESS_CAPACITY);
    private final HostBatch ingressBatch = new HostBatch(PacketBatch.INGRESS_CAPACITY);
    private StageMix pendingMix;
    /** Frames taken from a VM's ring per turn: 32 coalesces the flow lookups of a batch, 1 looks up each alone. */
    private int egressBatchLimit = PacketBatch.EGRESS_CAPACITY;

    /**
     * @param buffers     packet buffers in the host's pool (VM memory and NIC buffers alike)
     * @param bufferBytes bytes per buffer; frames up to {@code bufferBytes - 128 - 16} fit with
     *                    room for GENEVE and PSP headers in front and the ICV behind
     */
    public Host(String name, int ip, long mac, int buffers, int bufferBytes, StageMix mix, OffloadOptions options) {
        this.name = name;
        this.options = options;
        PacketPool pool = new PacketPool(buffers, bufferBytes);
        this.ctx = new HostContext(pool, new FlowTableHolder(new FlowTableBuilder().build()), ip, mac,
                new HostOffloads(mix, options));
        egress.addLast("copy", new EgressStages.CopyIn(ctx));
        egress.addLast("parse", new ParseStage(ctx, true));
        egress.addLast("spoof", new EgressStages.SpoofCheck(ctx));
        egress.addLast("flow", new EgressStages.FlowLookup(ctx));
        egress.addLast("checksum", new EgressStages.Checksum(ctx));
        egress.addLast("internet", new EgressStages.ToInternet(ctx));
        egress.addLast("encap", new EgressStages.Encap(ctx));
        egress.addLast("psp", new EgressStages.PspSeal(ctx));
        egress.addLast("tx", new EgressStages.Transmit(ctx));
        ingress.addLast("parse", new ParseStage(ctx, false));
        ingress.addLast("psp", new IngressStages.PspOpen(ctx));
        ingress.addLast("decap", new IngressStages.Decap(ctx));
        ingress.addLast("rx-checksum", new IngressStages.RxChecksum(ctx));
        ingress.addLast("deliver", new IngressStages.CopyOutAndDeliver(ctx));
        // Packets sent on to another host are sealed again: a hoverboard or a hairpinning host
        // opened them, and PSP protects each hop.
        forward.addLast("psp", new EgressStages.PspSeal(ctx));
        forward.addLast("tx", new EgressStages.Transmit(ctx));
        coprocessorPath = new CoprocessorPath(ctx, this::sendHairpins);
    }

    public String name() {
        return name;
    }

    public int ip() {
        return ctx.ip;
    }

    public long mac() {
        return ctx.mac;
    }

    /** Plugs a VM in; returns its virtio NIC (ring of 256 descriptors each way). */
    public VirtioNic addVm(VmPort port) {
        if (ctx.vm(port.port()) != null) {
            throw new IllegalArgumentException(name + " already has a VM on port " + port.port());
        }
        VirtioNic nic = new VirtioNic(port, ctx.pool, 256);
        ctx.plug(nic);
        return nic;
    }

    /**
     * Live migration, source side: the VM leaves this host (its NIC is
     * unplugged; frames still on its receive ring stay readable through the
     * returned NIC) and packets that keep arriving for it are hairpinned to the
     * host it moved to, {@code toHost} being that host's index in the flow
     * table's host list -- until {@link #endHairpin} once every sender has been
     * reprogrammed. Plug the VM in at the destination first, so nothing
     * hairpinned finds no VM there.
     */
    public VirtioNic migrateOut(int port, int toHost) {
        FlowTable t = ctx.flows.latest();
        if (toHost < 0 || toHost >= t.hosts()) {
            throw new IllegalArgumentException(name + ": no host " + toHost + " in the flow table (" + t.hosts()
                    + " hosts)");
        }
        return migrateOut(port, t.hostIp(toHost), t.hostMac(toHost));
    }

    /** As {@link #migrateOut(int, int)}, to the host with this address and MAC (it need not be in the table). */
    public VirtioNic migrateOut(int port, int toHostIp, long toHostMac) {
        VirtioNic nic = ctx.vm(port);
        if (nic == null) {
            throw new IllegalArgumentException(name + " has no VM on port " + port);
        }
        ctx.unplug(nic);
        // A VM that leaves again before its last hairpin ended hairpins to where it went last.
        ctx.hairpins.put(LongKeyMap.key(nic.port().vni(), nic.port().ip()),
                new long[] {nic.port().vni(), nic.port().ip(), toHostIp, toHostMac});
        return nic;
    }

    /** Live migration, done: senders know the new host; this host stops hairpinning for the VM. */
    public void endHairpin(int vni, int address) {
        ctx.hairpins.remove(LongKeyMap.key(vni, address));
    }

    public void connect(PhysicalPort port) {
        ctx.port = port;
    }

    /** Where the control plane publishes flow tables. */
    public FlowTableHolder flows() {
        return ctx.flows;
    }

    /** Who hears of flow misses: dropped ones and, if it wants, those the default route forwards. */
    public void onFlowMiss(FlowMissHandler handler) {
        ctx.missHandler = handler;
    }

    /**
     * Turns PSP on for the given virtual networks: every host derives its
     * security associations from the same two master keys; the host at
     * {@code hostIps[h]} receives on {@code hostSpis[h]} (this host included).
     */
    public void configurePsp(byte[] masterKey0, byte[] masterKey1, PspVersion version, int[] encryptedVnis,
                             int[] hostIps, int[] hostSpis) {
        ctx.psp.configure(masterKey0, masterKey1, version, encryptedVnis, hostIps, hostSpis, ctx.ip);
    }

    /**
     * Plugs in the coprocessors (see {@link Coprocessors}): PSP's AES-GCM goes
     * there whenever the crypto stage runs in software, and Internet traffic
     * always does. Null: none (crypto inline, no Internet). Set it before
     * traffic starts; the host does not close it.
     */
    public void useCoprocessors(Coprocessors coprocessors) {
        ctx.coprocessors = coprocessors;
    }

    /**
     * The host's port to the Internet: frames as VMs send and receive them, no
     * encapsulation. Flows with the {@code INTERNET} action leave through it
     * after the VM's coprocessor (ACL, WAN shaping); what arrives goes to the
     * VM with that destination address among {@link #exposeToInternet exposed}
     * ones, after its coprocessor (DoS guard, ACL).
     */
    public void connectInternet(PhysicalPort port) {
        ctx.internetPort = port;
    }

    /** Makes the VM on this port reachable from the Internet at its own address (no NAT here). */
    public void exposeToInternet(int vmPort) {
        VirtioNic nic = ctx.vm(vmPort);
        if (nic == null) {
            throw new IllegalArgumentException(name + " has no VM on port " + vmPort);
        }
        for (VirtioNic other : ctx.internetExposed) {
            if (other.port().ip() == nic.port().ip() && other != nic) {
                throw new IllegalArgumentException(name + ": another exposed VM has address "
                        + Integer.toHexString(nic.port().ip()));
            }
        }
        if (!ctx.internetExposed.contains(nic)) {
            ctx.internetExposed.add(nic);
            ctx.internetExposedByAddress.put(nic.port().ip(), nic);
        }
    }

    /** Work at the coprocessors not yet back: PSP batches and Internet frames. */
    public int atCoprocessors() {
        return coprocessorPath.outstanding();
    }

    /** Runs the offload stages on another mix from the next batch on (any implementation, any time). */
    public void useStages(StageMix mix) {
        this.pendingMix = mix;
    }

    /**
     * At most this many frames from each VM's ring a turn (1 .. 32; default 32). One frame a turn is
     * how a dataplane without coalesced lookups works (Andromeda before 1.5): every stage, the flow
     * lookup included, runs once per packet instead of once per batch.
     */
    public void egressBatchLimit(int frames) {
        if (frames < 1 || frames > PacketBatch.EGRESS_CAPACITY) {
            throw new IllegalArgumentException("egress batch limit must be 1 .. " + PacketBatch.EGRESS_CAPACITY
                    + ": " + frames);
        }
        egressBatchLimit = frames;
    }

    public StageMix stages() {
        return ctx.offloads.mix;
    }

    /**
     * One turn of the loop: each VM's transmit ring (a batch of up to 32 each),
     * then the physical port (a batch of up to 128).
     *
     * @return packets moved
     */
    @Override
    public int doWork() {
        if (pendingMix != null) {
            HostOffloads old = ctx.offloads;
            ctx.offloads = new HostOffloads(pendingMix, options);
            pendingMix = null;
            old.close();
        }
        ctx.flows.adopt(); // the newest flow table, for both directions, once a turn
        int work = 0;
        for (int k = 0; k < ctx.vnics.size(); k++) { // indexed: a for-each allocates an Iterator a turn
            VirtioNic nic = ctx.vnics.get(k);
            egressBatch.clear();
            egressBatch.vm = nic.port();
            int n = nic.takeTx(egressBatch, egressBatchLimit);
            if (n > 0) {
                ctx.counters.fromVms(n);
                egress.process(egressBatch);
                work += n;
            }
        }
        if (ctx.port != null) {
            ingressBatch.clear();
            if (ctx.offloads.cryptoAtNic()) {
                ctx.psp.installRxSa(ctx.port); // before the NIC sees frames for it: opened from the first
            }
            int n = ctx.port.receive(ingressBatch, ctx.pool);
            if (n > 0) {
                ctx.counters.fromWire(n);
                ingress.process(ingressBatch);
                work += n;
            }
            sendHairpins();
        }
        work += coprocessorPath.receiveFromInternet();
        work += coprocessorPath.drain();
        return work;
    }

    private void sendHairpins() {
        HostBatch hairpin = ctx.hairpinBatch;
        if (hairpin.size() > 0) {
            forward.process(hairpin);
            hairpin.clear();
        }
    }

    /** Bytes per flow sent over the default route since the last drain (the host's thread). */
    public DefaultRouteUsage defaultRouteUsage() {
        return ctx.defaultRouteUsage;
    }

    public DataplaneCounters counters() {
        return ctx.counters;
    }

    public Pipeline<HostBatch> egress() {
        return egress;
    }

    public Pipeline<HostBatch> ingress() {
        return ingress;
    }

    /** What the ingress side sends on to other hosts (hoverboard forwarding, hairpins). */
    public Pipeline<HostBatch> forward() {
        return forward;
    }

    /**
     * What comes back from the coprocessors: PSP-sealed packets out ("tx"), opened ones in
     * ("decap" > "rx-checksum" > "deliver"), Internet frames out ("tx") and in ("rx-checksum" > "deliver").
     */
    public List<Pipeline<HostBatch>> fromCoprocessor() {
        return coprocessorPath.pipelines();
    }

    public PacketPool pool() {
        return ctx.pool;
    }

    /** The VMs' NICs. */
    public List<VirtioNic> vms() {
        return List.copyOf(ctx.vnics);
    }

    /** The newest flow table (published, or in use). */
    public FlowTable flowTable() {
        return ctx.flows.latest();
    }

    @Override
    public void close() {
        ctx.offloads.close();
        ctx.checksumBatch.close();
        ctx.copyBatch.close();
        ctx.cryptoBatch.close();
        ctx.inFlight.close();
        ctx.pool.close();
    }

    @Override
    public String toString() {
        return name + " (" + ctx.counters + ")";
    }
}
