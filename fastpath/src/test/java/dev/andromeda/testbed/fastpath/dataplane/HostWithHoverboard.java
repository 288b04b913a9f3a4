package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;

/**
 * A test network for the default route: host {@code a} with one VM and a hoverboard host on
 * an in-memory switch; {@code a}'s table knows both hosts, no flows, and sends its misses to
 * the hoverboard.
 */
final class HostWithHoverboard implements AutoCloseable {
    static final int A_IP = 0xC0A80001;
    static final int HOVERBOARD_IP = 0xC0A80002;
    static final long A_MAC = 0x02_00_00_00_00_0AL;
    static final long HOVERBOARD_MAC = 0x02_00_00_00_00_0BL;

    final MemorySwitch sw = new MemorySwitch(1024, 16384);
    final Host a = new Host("a", A_IP, A_MAC, 1024, 4096, StageMix.software(), OffloadOptions.defaults());
    final Host hoverboard = new Host("hoverboard", HOVERBOARD_IP, HOVERBOARD_MAC, 1024, 4096,
            StageMix.software(), OffloadOptions.defaults());
    final VirtioNic vm;

    HostWithHoverboard(int vni, int vmIp) {
        a.connect(sw.attach(A_IP));
        hoverboard.connect(sw.attach(HOVERBOARD_IP));
        vm = a.addVm(new VmPort(1, vni, vmIp, 0x02_AA_01L));
        a.flows().publish(table(true));
    }

    /** {@code a}'s table: both hosts, no flows, the hoverboard as its default route or none. */
    static FlowTable table(boolean defaultRoute) {
        FlowTableBuilder t = new FlowTableBuilder();
        t.host(A_IP, A_MAC);
        t.host(HOVERBOARD_IP, HOVERBOARD_MAC);
        return (defaultRoute ? t.hoverboards(1) : t).build();
    }

    @Override
    public void close() {
        a.close();
        hoverboard.close();
        sw.close();
    }
}
