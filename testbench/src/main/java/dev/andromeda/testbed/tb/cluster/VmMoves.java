package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;

/**
 * Live migration as a {@code tb host} does it on its own dataplane: a VM plugged in here, or
 * handed over to another host (which hairpins its packets there). A host keeps hairpinning for a
 * VM that left; when the VM comes back, that hairpin must end, or it outlives the move: the host
 * finds the VM here again, but when the VM later leaves for a third host, the old hairpin is
 * found first and sends its packets to the host it left before -- which hairpins them back here.
 */
final class VmMoves {
    private VmMoves() {
    }

    /** Plugs a VM in at {@code host}, ending any hairpin {@code host} kept for it since it last left. */
    static VirtioNic plugIn(Host host, VmPort port) {
        host.endHairpin(port.vni(), port.ip());
        return host.addVm(port);
    }

    /** The VM leaves {@code host} (its new host has it plugged in); its packets are hairpinned there. */
    static void handOver(Host host, VirtioNic nic, int toHostIp, long toHostMac) {
        host.migrateOut(nic.port().port(), toHostIp, toHostMac);
    }
}
