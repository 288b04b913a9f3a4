package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareChecksum;
import dev.andromeda.testbed.fastpath.packet.Ethernet;
import dev.andromeda.testbed.fastpath.packet.Ipv4;
import dev.andromeda.testbed.fastpath.packet.FlowHash;
import dev.andromeda.testbed.fastpath.packet.GeneveEncap;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;
import dev.andromeda.testbed.fastpath.psp.PspSa;
import dev.andromeda.testbed.fastpath.psp.PspStatus;
import dev.andromeda.testbed.fastpath.psp.PspTransport;

import java.lang.foreign.MemorySegment;

/**
 * The egress stages, in pipeline order: a VM's transmitted frames to the wire
 * or to a local VM. Each is a loop over the batch; each drops by reason and
 * frees the buffer of what it drops.
 */
final class EgressStages {
    private EgressStages() {
    }

    /** "copy": VM memory to NIC buffers through the copy stage (software below the threshold). */
    static final class CopyIn extends OffloadingStage {
        CopyIn(HostContext host) {
            super(host, Stage.COPY);
        }

        @Override
        public void process(HostBatch b) {
            host.copyToFreshBuffers(b);
        }
    }

    /** "spoof": a VM may only send from its own address. */
    static final class SpoofCheck extends HostStage {

        SpoofCheck(HostContext host) {
            super(host);
        }

        @Override
        public void process(HostBatch b) {
            int own = b.vm.ip();
            for (int i = 0; i < b.size(); i++) {
                if (!b.dead[i] && b.parsed[i].ipv4Src() != own) {
                    host.drop(b, i, Drop.SPOOFED_SOURCE);
                }
            }
        }
    }

    /**
     * "flow": one hash lookup per packet; the flow's firewall (nothing to do
     * when it allows everything, a scan of port ranges otherwise), its counters
     * and its action. A miss takes the default route to a hoverboard when there
     * is one; otherwise the miss handler hears of it and the packet is dropped --
     * the loop never waits for the controller.
     */
    static final class FlowLookup extends HostStage {

        FlowLookup(HostContext host) {
            super(host);
        }

        /** What the touches read, kept so the JIT cannot drop them. */
        private long touched;

        @Override
        public void process(HostBatch b) {
            FlowTable t = host.flows.adopt();
            int vni = b.vm.vni();
            // Three passes: touch every packet's slot, then look each up and touch its record, then
            // act. The loads of one pass do not depend on each other, so a large table's cache
            // misses overlap (memory-level parallelism) instead of costing two full misses a packet.
            long sink = 0;
            for (int i = 0; i < b.size(); i++) {
                if (!b.dead[i]) {
                    ParsedPacket p = b.parsed[i];
                    sink += t.touchSlot(vni, p.protocol(), p.ipv4Src(), p.ipv4Dst());
                }
            }
            for (int i = 0; i < b.size(); i++) {
                if (!b.dead[i]) {
                    ParsedPacket p = b.parsed[i];
                    int f = t.lookup(vni, p.protocol(), p.ipv4Src(), p.ipv4Dst());
                    b.flow[i] = f;
                    sink += f == FlowTable.MISS ? 0 : t.touchRecord(f);
                }
            }
            touched = sink;
            long now = 0; // read once a batch, and only when a stateful flow needs it
            for (int i = 0; i < b.size(); i++) {
                if (b.dead[i]) {
                    continue;
                }
                ParsedPacket p = b.parsed[i];
                int f = b.flow[i];
                int action;
                if (f == FlowTable.MISS) {
                    int hb = t.hoverboardFor(FlowHash.of(p));
                    if (hb < 0) {
                        host.missHandler.onMiss(b.vm, p);
                        host.drop(b, i, Drop.FLOW_MISS);
                        continue;
                    }
                    host.missHandler.onForwardedMiss(b.vm, p);
                    action = FlowAction.encapToHost(hb);
                    host.defaultRouteUsage.count(vni, p.protocol(), p.ipv4Src(), p.ipv4Dst(), b.packets.length[i]);
                } else {
                    if (!t.allows(f, p.dstPort())) {
                        boolean reply = false;
                        if (t.policyKind(f) == FirewallPolicy.Kind.STATEFUL) {
                            now = now == 0 ? System.nanoTime() : now;
                            reply = host.connections.isReply(vni, p.protocol(), p.ipv4Src(), p.ipv4Dst(),
                                    p.srcPort(), p.dstPort(), now);
                        }
                        if (!reply) {
                            host.drop(b, i, Drop.FIREWALL);
                            continue;
                        }
                    }
                    t.count(f, b.packets.length[i]);
                    action = t.action(f);
                }
                b.flow[i] = f;
                b.action[i] = action;
                switch (FlowAction.kind(action)) {
                    case FlowAction.DELIVER -> {
                        int port = FlowAction.argument(action);
                        // Only while this host hairpins for a VM that left (a migration's blackout) does
                        // a local delivery look for its VM here; otherwise Transmit's lookup is the one.
                        if (!host.hairpins.isEmpty() && host.vm(port) == null
                                && leftForAnotherHost(b, i, t, vni, p.ipv4Dst())) {
                            continue;
                        }
                        b.vmPort[i] = port;
                        if (t.anyStateful()) { // a local peer: this host sees both ways
                            now = now == 0 ? System.nanoTime() : now;
                            host.trackArrival(t, vni, p, now);
                        }
                    }
                    case FlowAction.ENCAP_HOST -> b.host[i] = FlowAction.argument(action);
                    case FlowAction.ENCAP_DEFAULT -> {
                        b.host[i] = t.hoverboardFor(FlowHash.of(p));
                        if (b.host[i] < 0) {
                            host.drop(b, i, Drop.NO_ROUTE); // no hoverboard programmed
                        }
                    }
                    case FlowAction.INTERNET -> b.internet[i] = true;
                    default -> host.drop(b, i, Drop.ACTION_DROP);
                }
            }
        }

        /**
         * A local peer that has just migrated away (live migration: this host is its
         * source and hairpins for it until every sender is reprogrammed, this host's own
         * VMs included): the packet goes to the VM's new host like any remote packet,
         * so its checksum is completed, it is encapsulated and, on an encrypted network,
         * sealed on the way. Returns false when the VM left no hairpin or went to a
         * host this table does not know (the caller's delivery then drops it as
         * {@code NO_LOCAL_VM}, counted).
         */
        private boolean leftForAnotherHost(HostBatch b, int i, FlowTable t, int vni, int dst) {
            long[] moved = host.hairpinFor(vni, dst);
            if (moved == null) {
                return false;
            }
            for (int h = 0; h < t.hosts(); h++) {
                if (t.hostIp(h) == (int) moved[2]) {
                    b.host[i] = h;
                    host.counters.hairpinned(1);
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * "checksum": completes virtio NEEDS_CSUM requests through the checksum stage -- or, with
     * {@code checksum=nic}, leaves them to the NIC port ({@link HostBatch#nicCsum}) for the
     * packets it will put on the wire as they are: to another host, on a network PSP does not
     * encrypt (the NIC would sum ciphertext), through a port that inserts checksums. The
     * rest (local, Internet, encrypted) are done here in software.
     */
    static final class Checksum extends OffloadingStage {
        /** Which packet each descriptor of the hardware batch is for. */
        private final int[] big = new int[HostContext.MAX_BATCH];

        Checksum(HostContext host) {
            super(host, Stage.CHECKSUM);
        }

        @Override
        public void process(HostBatch b) {
            ChecksumBatch hw = host.checksumBatch;
            hw.clear();
            int nb = 0;
            int jobs = 0;
            int refused = 0;
            int nic = 0;
            long bytes = 0;
            MemorySegment mem = host.pool.memory();
            for (int i = 0; i < b.size(); i++) {
                if (b.dead[i] || b.csumStart[i] < 0) {
                    continue;
                }
                int len = b.packets.length[i];
                int start = b.csumStart[i];
                // RFC 768: a UDP checksum that computes to 0 goes out as 0xFFFF; TCP keeps 0.
                boolean udp = b.parsed[i].protocol() == 17;
                if (leftToNic(b, i, len)) {
                    b.nicCsum[i] = b.packets.offset[i] + start;
                    nic++;
                } else if (!host.offloads.inSoftware(Stage.CHECKSUM, len)) {
                    hw.add(b.packets.offset[i], len, start, start + b.csumOffset[i], 0, udp);
                    big[nb++] = i;
                } else if (SoftwareChecksum.compute(mem, b.packets.offset[i], len, start, start + b.csumOffset[i], 0,
                        udp) < 0) {
                    refused++;
                    host.drop(b, i, Drop.CHECKSUM_REJECTED);
                } else {
                    jobs++;
                    bytes += len;
                }
            }
            host.offloads.swChecksum.book(jobs, refused, bytes);
            host.counters.checksumsToNic(nic);
            host.run(hw, host.offloads.checksum);
            rejectFailed(b, hw, big, nb);
        }

        /**
         * Whether packet i's checksum goes to the NIC. Offsets outside the frame, and frames
         * that encapsulated outgrow the checksum block, stay here: software refuses them
         * with a counted drop, as it does without the NIC.
         */
        private boolean leftToNic(HostBatch b, int i, int len) {
            int start = b.csumStart[i];
            return host.offloads.checksumAtNic(len) && host.port != null && host.port.insertsChecksums()
                    && b.host[i] >= 0 && b.vmPort[i] < 0 && !b.internet[i] && !host.psp.encrypts(b.vm.vni())
                    && start <= len && start + b.csumOffset[i] + 2 <= len
                    && len + GeneveEncap.ENCAP_OVERHEAD <= ChecksumBatch.MAX_LENGTH;
        }

        private void rejectFailed(HostBatch b, ChecksumBatch batch, int[] index, int n) {
            for (int k = 0; k < n; k++) {
                if (batch.status(k) != ChecksumBatch.STATUS_DONE) {
                    host.drop(b, index[k], Drop.CHECKSUM_REJECTED);
                }
            }
        }
    }

    /**
     * "internet": packets of flows whose action is {@code INTERNET} leave the batch for the
     * VM's coprocessor (ACL, then the WAN token-bucket shaper), which hands them back to go
     * out of the host's Internet port; never a wait, a full ring is a counted drop.
     */
    static final class ToInternet extends HostStage {

        ToInternet(HostContext host) {
            super(host);
        }

        @Override
        public void process(HostBatch b) {
            for (int i = 0; i < b.size(); i++) {
                if (b.dead[i] || !b.internet[i]) {
                    continue;
                }
                if (host.coprocessors == null || host.internetPort == null) {
                    host.drop(b, i, Drop.NO_INTERNET_PATH);
                    continue;
                }
                if (!host.coprocessors.submitInternet(b.vm.port(), true, b.vm.vni(), b.packets.buffer[i],
                        b.packets.offset[i], b.packets.length[i], b.parsed[i])) {
                    host.drop(b, i, Drop.COPROCESSOR_FULL);
                    continue;
                }
                host.internetInFlight++;
                b.kill(i); // the buffer travels with the item
            }
        }
    }

    /**
     * "encap": GENEVE to the destination host (RFC 8926), the VM's VNI, entropy in the UDP source
     * port. One outer-header template per destination host of the current table, so a batch
     * whose packets go to several hosts does not rebuild the template packet by packet.
     */
    static final class Encap extends HostStage {
        private GeneveEncap.OuterHeaders[] toHost = new GeneveEncap.OuterHeaders[0];
        private FlowTable table;

        Encap(HostContext host) {
            super(host);
        }

        @Override
        public void process(HostBatch b) {
            FlowTable t = host.flows.current();
            if (t != table) {
                toHost = new GeneveEncap.OuterHeaders[t.hosts()]; // a new program: its hosts' templates
                table = t;
            }
            MemorySegment mem = host.pool.memory();
            int vni = b.vm.vni();
            for (int i = 0; i < b.size(); i++) {
                if (b.dead[i] || b.host[i] < 0) {
                    continue;
                }
                GeneveEncap.OuterHeaders outer = outer(t, b.host[i]).vni(vni);
                outer.udpSourcePort(FlowHash.sourcePort(FlowHash.of(b.parsed[i])));
                long at = GeneveEncap.encapsulate(mem, b.packets.offset[i], b.packets.length[i], outer);
                b.frame(i, at, b.packets.length[i] + GeneveEncap.ENCAP_OVERHEAD);
            }
        }

        private GeneveEncap.OuterHeaders outer(FlowTable t, int h) {
            GeneveEncap.OuterHeaders o = toHost[h];
            if (o == null) {
                o = new GeneveEncap.OuterHeaders().srcMac(host.mac).srcIp(host.ip).dstMac(t.hostMac(h))
                        .dstIp(t.hostIp(h));
                toHost[h] = o;
            }
            return o;
        }
    }

    /** "psp": PSP transport mode over the encapsulated packet for encrypted networks, through the crypto stage. */
    static final class PspSeal extends OffloadingStage {
        private final int[] descriptor = new int[HostContext.MAX_BATCH];

        PspSeal(HostContext host) {
            super(host, Stage.CRYPTO);
        }

        @Override
        public void process(HostBatch b) {
            if (b.vm != null && !host.psp.encrypts(b.vm.vni())) {
                return; // an egress batch: one VM, one virtual network
            }
            boolean atNic = host.offloads.cryptoAtNic() && host.port != null;
            if (!atNic && host.cryptoAtCoprocessor()) {
                sealAtCoprocessor(b);
                return;
            }
            CryptoBatch batch = host.cryptoBatch;
            batch.clear();
            MemorySegment mem = host.pool.memory();
            FlowTable table = host.flows.current();
            for (int i = 0; i < b.size(); i++) {
                descriptor[i] = -1;
                if (b.dead[i] || !sealable(b, i)) {
                    continue;
                }
                PspSa sa = saFor(b, i, table, mem);
                descriptor[i] = atNic ? leaveToNic(b, i, batch, sa, mem) : addSeal(b, i, batch, sa, mem);
            }
            if (atNic && batch.size() == 0) {
                return; // the NIC seals them all
            }
            host.run(batch, host.offloads.crypto);
            for (int i = 0; i < b.size(); i++) {
                if (descriptor[i] >= 0 && host.psp.transport.completeSeal(batch, descriptor[i]) != PspStatus.OK) {
                    host.drop(b, i, Drop.PSP_SEAL_FAILED);
                }
            }
        }

        /**
         * PSP's headers onto packet i (it grows in place: the packet's offset and length change)
         * and its seal under {@code sa} (null: none) into {@code batch}: the descriptor, or -1 with
         * the packet dropped and counted.
         */
        private int addSeal(HostBatch b, int i, CryptoBatch batch, PspSa sa, MemorySegment mem) {
            if (sa == null || host.psp.transport.encapsulate(mem, b.packets.offset[i], b.packets.length[i], sa)
                    != PspStatus.OK) {
                host.drop(b, i, Drop.PSP_SEAL_FAILED);
                return -1;
            }
            b.frame(i, host.psp.transport.frameOffset(), host.psp.transport.frameLength());
            int d = host.psp.transport.addSeal(batch, mem, b.packets.offset[i], b.packets.length[i], sa,
                    host.psp.nextIv());
            if (d < 0) {
                host.drop(b, i, Drop.PSP_SEAL_FAILED);
            }
            return d;
        }

        /**
         * {@code crypto=nic}: PSP's headers and IV onto packet i here, its seal left to the NIC on
         * the way to the wire ({@link HostBatch#nicPsp}); -1, or the packet dropped and counted. A
         * packet whose SA the port takes no slot for is sealed here in software instead: its
         * descriptor in {@code batch}.
         */
        private int leaveToNic(HostBatch b, int i, CryptoBatch batch, PspSa sa, MemorySegment mem) {
            int slot = sa == null ? -1 : host.port.pspSlot(sa);
            if (slot < 0) {
                return addSeal(b, i, batch, sa, mem);
            }
            PspTransport psp = host.psp.transport;
            if (psp.encapsulate(mem, b.packets.offset[i], b.packets.length[i], sa) != PspStatus.OK) {
                host.drop(b, i, Drop.PSP_SEAL_FAILED);
                return -1;
            }
            long at = psp.frameOffset();
            b.frame(i, at, psp.frameLength());
            if (psp.prepareInlineSeal(mem, at, b.packets.length[i], sa, host.psp.nextIv()) != PspStatus.OK) {
                host.drop(b, i, Drop.PSP_SEAL_FAILED);
                return -1;
            }
            b.nicPsp[i] = at + psp.pspHeaderOffset();
            b.nicPspSlot[i] = slot;
            return -1;
        }

        /** An egress batch's packets to another host; a forwarded packet on an encrypted network. */
        private boolean sealable(HostBatch b, int i) {
            return b.vm != null ? b.host[i] >= 0 : host.psp.encrypts(b.vni[i]);
        }

        /**
         * The SA for the packet's destination host: by its index in the flow table for the
         * VM's own packets, by the outer destination address for forwarded ones (their host
         * need not be in this host's table, and its index changes as the table does).
         */
        private PspSa saFor(HostBatch b, int i, FlowTable table, MemorySegment mem) {
            if (b.vm != null) {
                return host.psp.txSa(table, b.host[i]);
            }
            return host.psp.txSaByAddress(Ipv4.dst(mem, b.packets.offset[i] + Ethernet.HEADER_BYTES));
        }

        /**
         * The same headers, but the AES-GCM work goes to the VM's coprocessor (the
         * host's own for forwarded traffic): the packets leave this batch with their
         * buffers and come back, sealed, through {@code CoprocessorPath#drain}.
         */
        private void sealAtCoprocessor(HostBatch b) {
            CryptoInFlight.Unit unit = null;
            MemorySegment mem = host.pool.memory();
            FlowTable table = host.flows.current();
            for (int i = 0; i < b.size(); i++) {
                if (b.dead[i] || !sealable(b, i)) {
                    continue;
                }
                if (unit == null && (unit = host.inFlight.claim(true)) == null) {
                    host.drop(b, i, Drop.COPROCESSOR_FULL);
                    continue;
                }
                int d = addSeal(b, i, unit.batch, saFor(b, i, table, mem), mem);
                if (d < 0) {
                    continue;
                }
                unit.add(b.packets.buffer[i], b.packets.offset[i], b.packets.length[i], d);
                b.kill(i); // the buffer travels with the unit now
            }
            if (unit != null) {
                host.submitToCoprocessor(unit, b.vm != null ? b.vm.port() : Coprocessors.HOST);
            }
        }
    }

    /** "tx": encapsulated packets to the physical port, local ones to their VM. */
    static final class Transmit extends HostStage {

        Transmit(HostContext host) {
            super(host);
        }

        @Override
        public void process(HostBatch b) {
            for (int i = 0; i < b.size(); i++) {
                if (b.dead[i]) {
                    continue;
                }
                if (b.vmPort[i] >= 0) {
                    host.deliverLocal(b, i, b.csumStart[i] >= 0);
                } else if (b.vm != null && b.host[i] < 0) {
                    // A VM's packet with neither a local VM nor a host to go to must not reach the wire
                    // as it is (unencapsulated, unencrypted): dropped and counted.
                    host.drop(b, i, Drop.NO_ROUTE);
                }
            }
            int live = b.live();
            if (live == 0) {
                return;
            }
            int sent = host.port == null ? 0 : host.port.transmit(b, host.pool);
            host.counters.toWire(sent);
            for (int k = sent; k < live; k++) {
                host.counters.drop(Drop.PORT_FULL);
            }
            if (host.port == null) {
                for (int i = 0; i < b.size(); i++) {
                    if (!b.dead[i]) {
                        host.pool.free(b.packets.buffer[i]);
                        b.kill(i);
                    }
                }
            }
        }
    }
}
