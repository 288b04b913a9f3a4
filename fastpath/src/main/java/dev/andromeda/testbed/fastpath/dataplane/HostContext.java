package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.flow.FlowTableHolder;
import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.fastpath.packet.DropReason;
import dev.andromeda.testbed.fastpath.packet.PacketParser;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * What a host's stages share: the packet pool, the flow table, the offload
 * stages and their reusable descriptor batches, PSP state, the physical port,
 * the VMs and the counters. Confined to the host's thread.
 */
final class HostContext {
    /** The largest batch any pipeline carries (ingress). */
    static final int MAX_BATCH = 128;

    final PacketPool pool;
    final FlowTableHolder flows;
    final int ip;
    final long mac;
    final DataplaneCounters counters = new DataplaneCounters();
    final PspState psp = new PspState();
    /** The plugged VMs' NICs, in plugging order (the loop's turn walks them); change through {@link #plug}/{@link #unplug}. */
    final List<VirtioNic> vnics = new ArrayList<>();
    /** The same VMs by port and by (VNI, address): per-packet lookups, no scan (issue 11). */
    private final LongKeyMap<VirtioNic> vmByPort = new LongKeyMap<>();
    private final LongKeyMap<VirtioNic> vmByAddress = new LongKeyMap<>();
    HostOffloads offloads;
    PhysicalPort port;
    FlowMissHandler missHandler = FlowMissHandler.IGNORE;
    /**
     * Live migration: (vni, address) of VMs that left, and the address and MAC of the host they
     * went to -- not its index in the flow table, whose host list changes as this host is
     * reprogrammed during the hairpin.
     */
    final LongKeyMap<long[]> hairpins = new LongKeyMap<>();
    /** Frames sent on from the ingress side (hairpins, hoverboard forwarding) this batch, sent after it. */
    final HostBatch hairpinBatch = new HostBatch(MAX_BATCH);
    /** Bytes per flow sent over the default route, for the control plane's offload decisions. */
    final DefaultRouteUsage defaultRouteUsage = new DefaultRouteUsage(4096, counters);
    /** Where PSP's AES-GCM goes while the crypto stage is software, and Internet traffic; null: none. */
    Coprocessors coprocessors;
    /** The host's port to the Internet (no encapsulation: frames as the VMs send and receive them), or null. */
    PhysicalPort internetPort;
    /** VMs reachable from the Internet at their own address (the testbed does no NAT). */
    final List<VirtioNic> internetExposed = new ArrayList<>();
    /** The same by address (unique among them), for the Internet port's per-frame lookup. */
    final LongKeyMap<VirtioNic> internetExposedByAddress = new LongKeyMap<>();
    final CryptoInFlight inFlight;
    /** Connections seen arriving for local VMs whose replies a stateful firewall must let through. */
    final ConnectionTable connections = new ConnectionTable(1 << 16, 300_000_000_000L);
    /** Internet frames at the coprocessors, not yet back. */
    int internetInFlight;

    // Descriptor batches over the pool's memory, reused for every packet batch.
    final ChecksumBatch checksumBatch;
    final CopyBatch copyBatch;
    final CryptoBatch cryptoBatch;

    HostContext(PacketPool pool, FlowTableHolder flows, int ip, long mac, HostOffloads offloads) {
        this.pool = pool;
        this.flows = flows;
        this.ip = ip;
        this.mac = mac;
        this.offloads = offloads;
        this.checksumBatch = new ChecksumBatch(MAX_BATCH, pool.memory());
        this.copyBatch = new CopyBatch(MAX_BATCH, pool.memory());
        this.cryptoBatch = new CryptoBatch(MAX_BATCH, pool.memory());
        this.inFlight = new CryptoInFlight(pool);
    }

    /** Whether PSP's crypto goes to the coprocessors: there are some, and the crypto stage is software. */
    boolean cryptoAtCoprocessor() {
        return coprocessors != null && offloads.inSoftware(Stage.CRYPTO);
    }

    /** Hands a filled unit to the coprocessor; if its ring is full, the unit's packets are counted drops. */
    void submitToCoprocessor(CryptoInFlight.Unit unit, int vmPort) {
        if (unit.n == 0) {
            inFlight.release(unit);
            return;
        }
        if (!coprocessors.submitCrypto(vmPort, unit.batch, unit.token)) {
            for (int k = 0; k < unit.n; k++) {
                counters.drop(Drop.COPROCESSOR_FULL);
                pool.free(unit.buffer[k]);
            }
            inFlight.release(unit);
        }
    }

    /** Drops packet i for a dataplane reason: counted, buffer freed. */
    void drop(HostBatch b, int i, Drop reason) {
        counters.drop(reason);
        pool.free(b.packets.buffer[i]);
        b.kill(i);
    }

    /**
     * Parses the frame of packet i at {@code (at, length)} into {@code b.parsed[i]}; a malformed
     * one -- or, with {@code requireIpv4}, one that is not IPv4 -- is dropped and counted.
     *
     * @return whether the packet lives on
     */
    boolean parse(HostBatch b, int i, long at, int length, boolean requireIpv4) {
        DropReason r = PacketParser.parse(pool.memory(), at, length, b.parsed[i]);
        if (r != DropReason.NONE) {
            malformed(b, i, r);
            return false;
        }
        if (requireIpv4 && b.parsed[i].ipVersion() != 4) {
            drop(b, i, Drop.NOT_IPV4);
            return false;
        }
        return true;
    }

    /** Drops packet i as malformed: counted by the parser's reason, buffer freed. */
    void malformed(HostBatch b, int i, DropReason reason) {
        counters.malformed().count(reason);
        pool.free(b.packets.buffer[i]);
        b.kill(i);
    }

    void run(ChecksumBatch batch, ChecksumOffload stage) {
        if (batch.size() > 0) {
            stage.process(batch);
        }
    }

    private final int[] oldBuffer = new int[MAX_BATCH];

    /**
     * Moves every live frame of the batch into a fresh buffer through the copy
     * stage (software below its threshold) and frees the old ones -- VM memory
     * to NIC buffers on egress, NIC buffers to VM memory on ingress. A frame
     * with no free buffer is dropped (POOL_EXHAUSTED).
     */
    void copyToFreshBuffers(HostBatch b) {
        CopyBatch big = copyBatch;
        big.clear();
        MemorySegment mem = pool.memory();
        int jobs = 0;
        long bytes = 0;
        for (int i = 0; i < b.size(); i++) {
            if (b.dead[i]) {
                continue;
            }
            int fresh = pool.allocate();
            if (fresh < 0) {
                drop(b, i, Drop.POOL_EXHAUSTED);
                continue;
            }
            int len = b.packets.length[i];
            long to = pool.frameOffset(fresh);
            if (offloads.inSoftware(Stage.COPY, len)) {
                // The software copy stage's work, done here: both buffers are the pool's, in bounds.
                MemorySegment.copy(mem, b.packets.offset[i], mem, to, len);
                jobs++;
                bytes += len;
            } else {
                big.add(b.packets.offset[i], to, len, i);
            }
            oldBuffer[i] = b.packets.buffer[i];
            b.packets.buffer[i] = fresh;
            b.packets.offset[i] = to;
        }
        offloads.swCopy.book(jobs, 0, bytes);
        run(big, offloads.copy);
        for (int i = 0; i < b.size(); i++) {
            if (!b.dead[i]) {
                pool.free(oldBuffer[i]);
            }
        }
    }

    void run(CopyBatch batch, CopyOffload stage) {
        if (batch.size() > 0) {
            stage.process(batch);
        }
    }

    void run(CryptoBatch batch, CryptoOffload stage) {
        if (batch.size() > 0) {
            stage.process(batch);
        }
    }

    /** Plugs a VM's NIC in (the caller has checked its port is free). */
    void plug(VirtioNic nic) {
        vnics.add(nic);
        vmByPort.put(nic.port().port(), nic);
        long a = LongKeyMap.key(nic.port().vni(), nic.port().ip());
        if (vmByAddress.get(a) == null) { // two VMs with one address: the first plugged gets the packets
            vmByAddress.put(a, nic);
        }
    }

    /** Unplugs a VM's NIC. */
    void unplug(VirtioNic nic) {
        vnics.remove(nic);
        vmByPort.remove(nic.port().port());
        long a = LongKeyMap.key(nic.port().vni(), nic.port().ip());
        if (vmByAddress.get(a) == nic) {
            vmByAddress.remove(a);
            for (int k = 0; k < vnics.size(); k++) { // another VM with that address takes its place
                VirtioNic v = vnics.get(k);
                if (v.port().vni() == nic.port().vni() && v.port().ip() == nic.port().ip()) {
                    vmByAddress.put(a, v);
                    break;
                }
            }
        }
    }

    /** The plugged VM on this port, or null. */
    VirtioNic vm(int port) {
        return vmByPort.get(port);
    }

    /** The local VM with this address in this virtual network, or null. */
    VirtioNic vm(int vni, int address) {
        return vmByAddress.get(LongKeyMap.key(vni, address));
    }

    /** Where a migrated VM's packets go -- {vni, address, host IPv4, host MAC} -- or null. */
    long[] hairpinFor(int vni, int address) {
        return hairpins.isEmpty() ? null : hairpins.get(LongKeyMap.key(vni, address));
    }

    /**
     * A packet from {@code p}'s source arrives for the local VM at its destination: if the
     * VM's reverse flow has a stateful firewall, remember the connection so the VM's replies pass.
     */
    void trackArrival(FlowTable t, int vni, ParsedPacket p, long now) {
        int proto = p.protocol();
        if (!t.anyStateful() || (proto != 6 && proto != 17) || !p.hasTransportHeader()) {
            return;
        }
        int reverse = t.lookup(vni, proto, p.ipv4Dst(), p.ipv4Src());
        if (reverse != FlowTable.MISS && t.policyKind(reverse) == FirewallPolicy.Kind.STATEFUL) {
            connections.record(vni, proto, p.ipv4Src(), p.ipv4Dst(), p.srcPort(), p.dstPort(), now);
        }
    }

    /** Hands packet i's buffer to its local VM's receive ring. */
    void deliverLocal(HostBatch b, int i, boolean dataValid) {
        VirtioNic v = vm(b.vmPort[i]);
        if (v == null) {
            drop(b, i, Drop.NO_LOCAL_VM);
            return;
        }
        if (!v.deliver(b.packets.buffer[i], b.packets.offset[i], b.packets.length[i], dataValid)) {
            drop(b, i, Drop.VM_RING_FULL);
            return;
        }
        counters.toVms(1);
        b.kill(i); // delivered: the VM owns the buffer now
    }
}
