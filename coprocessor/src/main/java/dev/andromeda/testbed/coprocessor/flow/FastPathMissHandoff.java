package dev.andromeda.testbed.coprocessor.flow;

import dev.andromeda.testbed.coprocessor.CoprocessorPool;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.ring.WorkKind;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;
import dev.andromeda.testbed.fastpath.dataplane.FlowMissHandler;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

/**
 * Plugs the coprocessors into a host's fast path: a flow miss without a
 * default route becomes a FLOW_MISS work item on the VM's egress ring (the
 * coprocessor VM id is the VM's port number), never a wait. A full ring is the
 * ring's counted RING_FULL drop. The resolver's answer comes back on the
 * result ring, where the host's control side picks it up (it programs the flow
 * table; the fast path itself never blocks on it).
 *
 * <p>Called on the host's thread, the rings' single producer.
 */
public final class FastPathMissHandoff implements FlowMissHandler {
    private final CoprocessorPool pool;

    public FastPathMissHandoff(CoprocessorPool pool) {
        this.pool = pool;
    }

    @Override
    public void onMiss(VmPort vm, ParsedPacket p) {
        WorkRing ring = pool.vm(vm.port()).egress();
        WorkItem item = ring.claim();
        if (item == null) {
            return; // counted by the ring as RING_FULL
        }
        item.packet(WorkKind.FLOW_MISS, -1, p.l2Offset(), p.frameLength())
                .headers(vm.vni(), p.ipv4Src(), p.ipv4Dst(), p.srcPort(), p.dstPort(), p.protocol());
        ring.commit(item);
    }
}
