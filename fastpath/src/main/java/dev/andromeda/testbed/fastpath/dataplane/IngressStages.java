package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumComplete;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareChecksum;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.packet.FlowHash;
import dev.andromeda.testbed.fastpath.packet.GeneveEncap;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;
import dev.andromeda.testbed.fastpath.psp.PspHeader;
import dev.andromeda.testbed.fastpath.psp.PspSa;
import dev.andromeda.testbed.fastpath.psp.PspStatus;

import java.lang.foreign.MemorySegment;

/**
 * The ingress stages, in pipeline order: frames from the physical port --
 * PSP-protected or plain GENEVE -- to the receiving VM.
 */
final class IngressStages {
    static final int PSP_PORT = 1000;
    static final int UDP_BYTES = 8;

    private IngressStages() {
    }

    /** "psp": opens PSP packets through the crypto stage; a bad ICV drops the packet, counted. */
    static final class PspOpen extends OffloadingStage {
        private final int[] descriptor = new int[HostContext.MAX_BATCH];

        PspOpen(HostContext host) {
            super(host, Stage.CRYPTO);
        }

        @Override
        public void process(HostBatch b) {
            if (host.offloads.cryptoAtNic() && host.port != null) {
                finishOpenedAtNic(host, b);
            }
            if (host.cryptoAtCoprocessor()) {
                openAtCoprocessor(host, b);
                return;
            }
            CryptoBatch batch = host.cryptoBatch;
            batch.clear();
            MemorySegment mem = host.pool.memory();
            boolean any = false;
            for (int i = 0; i < b.size(); i++) {
                descriptor[i] = -1;
                if (!b.dead[i] && isPsp(b.parsed[i])) {
                    descriptor[i] = addOpen(host, b, i, batch, mem);
                    any |= descriptor[i] >= 0;
                }
            }
            if (!any) {
                return;
            }
            host.run(batch, host.offloads.crypto);
            for (int i = 0; i < b.size(); i++) {
                if (descriptor[i] >= 0 && !b.dead[i]) {
                    finishOpen(host, b, i, batch, descriptor[i], true);
                }
            }
        }
    }

    /**
     * {@code crypto=nic}: the frames the NIC opened lose their PSP headers here; the others
     * (the NIC had no SA for them: none given yet, or its slot taken) are opened below as
     * without the NIC. The host gives the port its own SA before each receive ({@code Host}).
     */
    private static void finishOpenedAtNic(HostContext host, HostBatch b) {
        MemorySegment mem = host.pool.memory();
        for (int i = 0; i < b.size(); i++) {
            if (b.dead[i] || !b.nicOpened[i]) {
                continue;
            }
            if (host.psp.transport.decapsulateOpened(mem, b.packets.offset[i], b.packets.length[i])
                    != PspStatus.OK) {
                host.drop(b, i, Drop.PSP_OPEN_FAILED);
                continue;
            }
            b.frame(i, host.psp.transport.frameOffset(), host.psp.transport.frameLength());
            b.pspVerified[i] = true;
            host.parse(b, i, b.packets.offset[i], b.packets.length[i], false);
        }
    }

    /** UDP to PSP's port, with its transport header in the frame. */
    private static boolean isPsp(ParsedPacket p) {
        return p.protocol() == 17 && p.dstPort() == PSP_PORT && p.hasTransportHeader();
    }

    /**
     * Adds the open of PSP packet i to {@code batch}: its descriptor, or -1 with the
     * packet dropped and counted (header cut short, unknown SPI, refused).
     */
    static int addOpen(HostContext host, HostBatch b, int i, CryptoBatch batch, MemorySegment mem) {
        long pspAt = b.parsed[i].l4Offset() + UDP_BYTES;
        if (pspAt + PspHeader.HEADER_BYTES > b.packets.offset[i] + b.packets.length[i]) {
            host.drop(b, i, Drop.PSP_OPEN_FAILED);
            return -1;
        }
        PspSa sa = host.psp.rxSa(PspHeader.spi(mem, pspAt));
        if (sa == null) {
            host.drop(b, i, Drop.PSP_UNKNOWN_SPI);
            return -1;
        }
        int d = host.psp.transport.addOpen(batch, mem, b.packets.offset[i], b.packets.length[i], sa);
        if (d < 0) {
            host.drop(b, i, Drop.PSP_OPEN_FAILED);
        }
        return d;
    }

    /**
     * After the crypto stage ran ({@code ran}) the open of packet i (descriptor {@code d}):
     * PSP off, the packet marked verified and parsed again as the GENEVE frame it carried; a
     * failed open (bad ICV, the stage refused) is dropped and counted.
     */
    static void finishOpen(HostContext host, HostBatch b, int i, CryptoBatch batch, int d, boolean ran) {
        MemorySegment mem = host.pool.memory();
        if (!ran || host.psp.transport.decapsulate(batch, d, mem, b.packets.offset[i], b.packets.length[i])
                != PspStatus.OK) {
            host.drop(b, i, Drop.PSP_OPEN_FAILED);
            return;
        }
        b.frame(i, host.psp.transport.frameOffset(), host.psp.transport.frameLength());
        b.pspVerified[i] = true;
        host.parse(b, i, b.packets.offset[i], b.packets.length[i], false);
    }

    /**
     * Opens PSP packets at the host's coprocessor (crypto in software): they
     * leave this batch with their buffers and come back through
     * {@code CoprocessorPath#drain}, which sends them on through decap,
     * rx-checksum and delivery.
     */
    private static void openAtCoprocessor(HostContext host, HostBatch b) {
        CryptoInFlight.Unit unit = null;
        MemorySegment mem = host.pool.memory();
        for (int i = 0; i < b.size(); i++) {
            if (b.dead[i] || !isPsp(b.parsed[i])) {
                continue;
            }
            if (unit == null && (unit = host.inFlight.claim(false)) == null) {
                host.drop(b, i, Drop.COPROCESSOR_FULL);
                continue;
            }
            int d = addOpen(host, b, i, unit.batch, mem);
            if (d >= 0) {
                unit.add(b.packets.buffer[i], b.packets.offset[i], b.packets.length[i], d);
                b.kill(i); // the buffer travels with the unit
            }
        }
        if (unit != null) {
            host.submitToCoprocessor(unit, Coprocessors.HOST);
        }
    }

    /** "decap": GENEVE off; the inner frame must be IPv4 for a VM of this host in that virtual network. */
    static final class Decap extends HostStage {
        private final GeneveEncap.OuterHeaders outer = new GeneveEncap.OuterHeaders();

        Decap(HostContext host) {
            super(host);
        }

        @Override
        public void process(HostBatch b) {
            FlowTable table = host.flows.current();
            long now = 0;
            for (int i = 0; i < b.size(); i++) {
                if (b.dead[i]) {
                    continue;
                }
                ParsedPacket p = b.parsed[i];
                if (!p.isGeneve()) {
                    host.drop(b, i, Drop.NOT_ENCAPSULATED);
                    continue;
                }
                int vni = p.vni();
                if (host.psp.encrypts(vni) && !b.pspVerified[i]) {
                    host.drop(b, i, Drop.PSP_REQUIRED); // cleartext must not enter an encrypted network
                    continue;
                }
                long inner = p.innerOffset();
                int innerLength = p.innerLength();
                if (!host.parse(b, i, inner, innerLength, true)) {
                    continue;
                }
                VirtioNic vm = host.vm(vni, p.ipv4Dst());
                if (vm == null) {
                    long[] moved = host.hairpinFor(vni, p.ipv4Dst());
                    int to = moved != null ? -1 : hoverboardRoute(table, vni, p.ipv4Dst());
                    if (moved != null) {
                        hairpin(b, i, inner, innerLength, vni, (int) moved[2], moved[3]);
                    } else if (to >= 0 && to < table.hosts()) {
                        hairpin(b, i, inner, innerLength, vni, table.hostIp(to), table.hostMac(to));
                    } else {
                        host.drop(b, i, Drop.NO_LOCAL_VM);
                    }
                    continue;
                }
                b.vmPort[i] = vm.port().port();
                if (table.anyStateful()) {
                    now = now == 0 ? System.nanoTime() : now;
                    host.trackArrival(table, vni, p, now);
                }
                b.frame(i, inner, innerLength);
            }
        }

        /**
         * A hoverboard's route: flows programmed with protocol 0 and source 0
         * mean "any source, any protocol, to this VM" -- the (VNI, destination)
         * routes a hoverboard holds for every VM -- and send the packet on to
         * the VM's host. Returns the host index, or -1 when this host has no
         * such route (it is no hoverboard, or the VM is unknown).
         */
        private static int hoverboardRoute(FlowTable t, int vni, int dst) {
            int f = t.lookup(vni, 0, 0, dst);
            if (f == FlowTable.MISS || FlowAction.kind(t.action(f)) != FlowAction.ENCAP_HOST) {
                return -1;
            }
            return FlowAction.argument(t.action(f));
        }

        /**
         * Sends a packet on to another host: live migration's hairpin (the VM
         * moved and not every sender knows yet -- none lost during the
         * blackout) and a hoverboard's forwarding. Encapsulated again, to that
         * host, and sent after this batch.
         */
        private void hairpin(HostBatch b, int i, long inner, int innerLength, int vni, int toIp, long toMac) {
            outer.srcMac(host.mac).srcIp(host.ip).vni(vni).dstMac(toMac).dstIp(toIp)
                    .udpSourcePort(FlowHash.sourcePort(FlowHash.of(b.parsed[i])));
            long at = GeneveEncap.encapsulate(host.pool.memory(), inner, innerLength, outer);
            int k = host.hairpinBatch.add(b.packets.buffer[i], at, innerLength + GeneveEncap.ENCAP_OVERHEAD,
                    HostBatch.NO_CSUM, 0);
            host.hairpinBatch.vni[k] = vni; // the forward pipeline's PSP stage seals by it and the outer address
            host.counters.hairpinned(1);
            b.kill(i); // moved to the hairpin batch with its buffer
        }
    }

    /**
     * "rx-checksum": verifies the inner TCP or UDP checksum (pseudo-header as
     * the seed, the sum over the segment must come out 0) through the checksum
     * stage, for virtio's DATA_VALID. A packet that fails is still delivered,
     * without DATA_VALID: the guest's stack decides, as with a real NIC. (A UDP
     * checksum of zero, "none", sums to nonzero here and so is not DATA_VALID.)
     *
     * <p>With {@code checksum=nic}, a packet whose NIC gave a checksum-complete and that PSP
     * did not decrypt (the NIC summed what came off the wire) is verified from it: the sum of
     * the segment is the NIC's less the headers in front ({@link ChecksumComplete}), so only
     * those few dozen bytes are summed here.
     */
    static final class RxChecksum extends OffloadingStage {
        /** Which packet each descriptor of the hardware batch is for. */
        private final int[] big = new int[HostContext.MAX_BATCH];

        RxChecksum(HostContext host) {
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
                ParsedPacket p = b.parsed[i];
                if (b.dead[i] || p.isFragment() || !p.hasTransportHeader() || (p.protocol() != 6 && p.protocol() != 17)) {
                    continue;
                }
                int l4 = (int) (p.l3Offset() + p.ipPacketLength() - p.l4Offset());
                if (l4 <= 0) {
                    continue;
                }
                int src = p.ipv4Src();
                int dst = p.ipv4Dst();
                long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + p.protocol() + l4;
                int seed = (int) ((pseudo & 0xFFFF) + (pseudo >>> 16));
                seed = (seed & 0xFFFF) + (seed >>> 16);
                if (fromNic(b, i, p.l4Offset(), l4)) {
                    int sum = ChecksumComplete.regionSum(mem, b.rxCsumFrom[i], b.rxCsumTo[i], b.rxCsum[i],
                            p.l4Offset(), l4);
                    b.dataValid[i] = InternetChecksum.fold((long) sum + seed) == 0xFFFF;
                    nic++;
                    continue;
                }
                if (!host.offloads.inSoftware(Stage.CHECKSUM, b.packets.length[i])) {
                    hw.add(p.l4Offset(), l4, 0, -1, seed);
                    big[nb++] = i;
                    continue;
                }
                int csum = SoftwareChecksum.compute(mem, p.l4Offset(), l4, 0, -1, seed, false);
                if (csum < 0) {
                    refused++;
                } else {
                    jobs++;
                    bytes += l4;
                }
                b.dataValid[i] = csum == 0;
            }
            host.offloads.swChecksum.book(jobs, refused, bytes);
            host.counters.checksumsFromNic(nic);
            host.run(hw, host.offloads.checksum);
            mark(b, hw, big, nb);
        }

        private boolean fromNic(HostBatch b, int i, long l4At, int l4) {
            return b.rxCsum[i] >= 0 && !b.pspVerified[i] && host.offloads.checksumAtNic(b.packets.length[i])
                    && l4At >= b.rxCsumFrom[i] && l4At + l4 <= b.rxCsumTo[i];
        }

        private static void mark(HostBatch b, ChecksumBatch batch, int[] index, int n) {
            for (int k = 0; k < n; k++) {
                int i = index[k];
                b.dataValid[i] = batch.status(k) == ChecksumBatch.STATUS_DONE && batch.csum(k) == 0;
            }
        }
    }

    /** "copy": NIC buffers to VM memory through the copy stage, then onto each VM's receive ring. */
    static final class CopyOutAndDeliver extends OffloadingStage {
        CopyOutAndDeliver(HostContext host) {
            super(host, Stage.COPY);
        }

        @Override
        public void process(HostBatch b) {
            host.copyToFreshBuffers(b);
            for (int i = 0; i < b.size(); i++) {
                if (!b.dead[i]) {
                    host.deliverLocal(b, i, b.dataValid[i]);
                }
            }
        }
    }
}
