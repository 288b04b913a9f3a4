package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.agent.Agent;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.flow.FlowTableHolder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.DropReason;
import dev.andromeda.testbed.fastpath.packet.PacketBatch;
import dev.andromeda.testbed.fastpath.packet.PacketParser;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.pipeline.Pipeline;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.fastpath.psp.PspStatus;
import dev.andromeda.testbed.fastpath.psp.PspVersion;

import java.util.List;

/**
 * One host's dataplane: the VMs' virtio NICs, the fast path (an egress and an
 * ingress {@link Pipeline} of named stages), the flow table, the offload
 * stages chosen by a {@link StageMix}, PSP, and a physical port.
 *
 * <pre>
 * egress  (per VM, batches of 32):  copy > parse > spoof > flow > checksum > encap > psp > tx
 * ingress (port, batches of 128):   parse > psp > decap > rx-checksum > copy/deliver
 * forward (from ingress, sent on):  psp > tx      (hoverboard routes, live migration's hairpin)
 * </pre>
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
    /** PSP packets back from a coprocessor: sealed ones to the wire, opened ones on through ingress. */
    private final Pipeline<HostBatch> sealedByCoprocessor = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    private final Pipeline<HostBatch> openedByCoprocessor = new Pipeline<>(HostBatch::live, HostBatch::liveBytes);
    private final HostBatch coprocessorBatch = new HostBatch(HostContext.MAX_BATCH);
    private final HostBatch egressBatch = new HostBatch(PacketBatch.EGRESS_CAPACITY);
    private final HostBatch ingressBatch = new HostBatch(PacketBatch.INGRESS_CAPACITY);
    private StageMix pendingMix;

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
        egress.addLast("parse", new EgressStages.Parse(ctx));
        egress.addLast("spoof", new EgressStages.SpoofCheck(ctx));
        egress.addLast("flow", new EgressStages.FlowLookup(ctx));
        egress.addLast("checksum", new EgressStages.Checksum(ctx));
        egress.addLast("encap", new EgressStages.Encap(ctx));
        egress.addLast("psp", new EgressStages.PspSeal(ctx));
        egress.addLast("tx", new EgressStages.Transmit(ctx));
        ingress.addLast("parse", new IngressStages.ParseOuter(ctx));
        ingress.addLast("psp", new IngressStages.PspOpen(ctx));
        ingress.addLast("decap", new IngressStages.Decap(ctx));
        ingress.addLast("rx-checksum", new IngressStages.RxChecksum(ctx));
        ingress.addLast("deliver", new IngressStages.CopyOutAndDeliver(ctx));
        // Packets sent on to another host are sealed again: a hoverboard or a hairpinning host
        // opened them, and PSP protects each hop.
        forward.addLast("psp", new EgressStages.PspSeal(ctx));
        forward.addLast("tx", new EgressStages.Transmit(ctx));
        sealedByCoprocessor.addLast("tx", new EgressStages.Transmit(ctx));
        openedByCoprocessor.addLast("decap", new IngressStages.Decap(ctx));
        openedByCoprocessor.addLast("rx-checksum", new IngressStages.RxChecksum(ctx));
        openedByCoprocessor.addLast("deliver", new IngressStages.CopyOutAndDeliver(ctx));
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
        ctx.vnics.add(nic);
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
        VirtioNic nic = ctx.vm(port);
        if (nic == null) {
            throw new IllegalArgumentException(name + " has no VM on port " + port);
        }
        ctx.vnics.remove(nic);
        ctx.hairpins.add(new long[] {nic.port().vni(), nic.port().ip(), toHost});
        return nic;
    }

    /** Live migration, done: senders know the new host; this host stops hairpinning for the VM. */
    public void endHairpin(int vni, int address) {
        ctx.hairpins.removeIf(h -> h[0] == vni && h[1] == address);
    }

    public void connect(PhysicalPort port) {
        ctx.port = port;
    }

    /** Where the control plane publishes flow tables. */
    public FlowTableHolder flows() {
        return ctx.flows;
    }

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
     * Sends PSP's AES-GCM to coprocessor threads whenever the crypto stage runs in
     * software (Andromeda's coprocessors; see {@link CryptoCoprocessor}); null: inline
     * again. Set it before traffic starts; the host does not close it.
     */
    public void useCryptoCoprocessor(CryptoCoprocessor coprocessor) {
        ctx.cryptoCoprocessor = coprocessor;
    }

    /** Batches of PSP packets at the coprocessor, not yet back. */
    public int cryptoInFlight() {
        return ctx.inFlight.inFlight();
    }

    /** Runs the offload stages on another mix from the next batch on (any implementation, any time). */
    public void useStages(StageMix mix) {
        this.pendingMix = mix;
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
        for (VirtioNic nic : ctx.vnics) {
            egressBatch.clear();
            egressBatch.vm = nic.port();
            int n = nic.takeTx(egressBatch);
            if (n > 0) {
                ctx.counters.fromVms(n);
                egress.process(egressBatch);
                work += n;
            }
        }
        if (ctx.port != null) {
            ingressBatch.clear();
            int n = ctx.port.receive(ingressBatch, ctx.pool);
            if (n > 0) {
                ctx.counters.fromWire(n);
                ingress.process(ingressBatch);
                work += n;
            }
            sendHairpins();
        }
        if (ctx.cryptoCoprocessor != null && ctx.inFlight.inFlight() > 0) {
            work += ctx.cryptoCoprocessor.drain(this::backFromCoprocessor);
        }
        return work;
    }

    private void sendHairpins() {
        HostBatch hairpin = ctx.hairpinBatch;
        if (hairpin.size() > 0) {
            forward.process(hairpin);
            hairpin.clear();
        }
    }

    /** A batch of PSP work is back: finish the headers and send the packets on their way. */
    private void backFromCoprocessor(int token, boolean ok) {
        CryptoInFlight.Unit u = ctx.inFlight.get(token);
        HostBatch b = coprocessorBatch;
        b.clear();
        var mem = ctx.pool.memory();
        for (int k = 0; k < u.n; k++) {
            int i = b.add(u.buffer[k], u.offset[k], u.length[k], HostBatch.NO_CSUM, 0);
            if (u.seal) {
                if (!ok || ctx.psp.transport.completeSeal(u.batch, u.descriptor[k]) != PspStatus.OK) {
                    ctx.drop(b, i, Drop.PSP_SEAL_FAILED);
                }
                continue;
            }
            if (!ok || ctx.psp.transport.decapsulate(u.batch, u.descriptor[k], mem, u.offset[k], u.length[k])
                    != PspStatus.OK) {
                ctx.drop(b, i, Drop.PSP_OPEN_FAILED);
                continue;
            }
            b.packets.offset[i] = ctx.psp.transport.frameOffset();
            b.packets.length[i] = ctx.psp.transport.frameLength();
            b.pspVerified[i] = true;
            DropReason r = PacketParser.parse(mem, b.packets.offset[i], b.packets.length[i], b.parsed[i]);
            if (r != DropReason.NONE) {
                ctx.malformed(b, i, r);
            }
        }
        boolean seal = u.seal;
        ctx.inFlight.release(u);
        if (seal) {
            sealedByCoprocessor.process(b);
        } else {
            openedByCoprocessor.process(b);
            if (ctx.port != null) {
                sendHairpins(); // a hoverboard forwards what it opened
            }
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

    /** PSP packets back from the coprocessor: sealed ones out ("tx"), opened ones in ("decap" ..). */
    public List<Pipeline<HostBatch>> fromCoprocessor() {
        return List.of(sealedByCoprocessor, openedByCoprocessor);
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
        ctx.swChecksumBatch.close();
        ctx.copyBatch.close();
        ctx.swCopyBatch.close();
        ctx.cryptoBatch.close();
        ctx.inFlight.close();
        ctx.pool.close();
    }

    @Override
    public String toString() {
        return name + " (" + ctx.counters + ")";
    }
}
