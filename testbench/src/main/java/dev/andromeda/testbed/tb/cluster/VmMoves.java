package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;

/**
 * Live migration as a {@code tb host} does it on its own dataplane: a VM plugged in here, or
 * handed over to another host, which from then on gets the VM's packets that still arrive here
 * (hairpinned).
 * <p>
 * Two rules keep that lossless across processes:
 * <ul>
 * <li>A VM is handed over only once its new host has it plugged in, and once this host's own flow
 * table no longer delivers to it here. Until the controllers reprogram this host, its VMs'
 * packets to the VM are local deliveries; the dataplane hairpins those only to a host that is in
 * this host's table, and a host's table names just the hosts it sends to -- the VM's new host may
 * not be one of them, and such a packet was dropped as {@code NO_LOCAL_VM}. Packets from other
 * hosts are hairpinned by address and need no table.</li>
 * <li>When a VM comes back, the hairpin this host kept for it since it left ends: otherwise, when
 * the VM later leaves for a third host, the old hairpin is found first and sends its packets to
 * the host it left before -- which hairpins them back here, and so on.</li>
 * </ul>
 */
final class VmMoves {
    private VmMoves() {
    }

    /** Plugs a VM in at {@code host}, ending any hairpin {@code host} kept for it since it last left. */
    static VirtioNic plugIn(Host host, VmPort port) {
        host.endHairpin(port.vni(), port.ip());
        return host.addVm(port);
    }

    /**
     * Hands the VM of {@code nic} over to the host at {@code toHostIp} if it may go now: its new
     * host has it plugged in ({@code newHostHasIt}) and no flow of {@code program} (the program
     * {@code host} runs; null before the first) delivers to it here, neither in the program nor in
     * the table the dataplane holds. Returns whether it was handed over.
     */
    static boolean handOverIfReady(Host host, FlowProgram program, VirtioNic nic, boolean newHostHasIt, int toHostIp,
                                   long toHostMac) {
        if (!newHostHasIt || deliveredHere(host.flowTable(), program, nic.port())) {
            return false;
        }
        host.migrateOut(nic.port().port(), toHostIp, toHostMac);
        return true;
    }

    /** Whether a flow to {@code vm} still delivers locally, in {@code program} or in {@code table}. */
    private static boolean deliveredHere(FlowTable table, FlowProgram program, VmPort vm) {
        if (program == null) {
            return false;
        }
        for (FlowProgram.Flow f : program.flows()) {
            if (f.vni() != vm.vni() || f.dst() != vm.ip()) {
                continue;
            }
            if (FlowAction.kind(f.action()) == FlowAction.DELIVER) {
                return true;
            }
            int at = table == null ? FlowTable.MISS : table.lookup(f.vni(), f.proto(), f.src(), f.dst());
            if (at != FlowTable.MISS && FlowAction.kind(table.action(at)) == FlowAction.DELIVER) {
                return true; // the program moved on, the dataplane's table not yet
            }
        }
        return false;
    }
}
