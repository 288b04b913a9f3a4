package dev.andromeda.testbed.control.host;

import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.fastpath.dataplane.FlowMissHandler;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

import java.util.function.LongSupplier;

/**
 * On-demand programming, host side: a packet that finds no flow is reported to
 * the controller, which programs the flow and sends the host its new program;
 * the packet itself is dropped and counted by the dataplane (no default route)
 * or carried by the hoverboards (the default route) -- the loop never waits for
 * the controller. Both kinds are reported: a forwarded flow is programmed too,
 * so its later packets go direct. A flow is
 * reported at most once per {@code holdOffNs} (a small direct-mapped memory of
 * recent misses, no allocation per packet), so a burst of one flow's packets is
 * one message. The controller rate-limits per tenant on top of that.
 */
public final class MissReporter implements FlowMissHandler {
    private static final int SLOTS = 1024;

    private final HostAgentClient client;
    private final LongSupplier nanoClock;
    private final long holdOffNs;
    private final long[] key1 = new long[SLOTS];
    private final long[] key2 = new long[SLOTS];
    private final long[] at = new long[SLOTS];
    private long reported;
    private long suppressed;

    public MissReporter(HostAgentClient client, LongSupplier nanoClock, long holdOffNs) {
        this.client = client;
        this.nanoClock = nanoClock;
        this.holdOffNs = holdOffNs;
    }

    @Override
    public void onMiss(VmPort vm, ParsedPacket p) {
        long k1 = (long) vm.vni() << 8 | p.protocol();
        long k2 = (long) p.ipv4Src() << 32 | (p.ipv4Dst() & 0xFFFFFFFFL);
        int slot = (int) ((k1 * 0x9E3779B97F4A7C15L ^ k2 * 0xC2B2AE3D27D4EB4FL) >>> 54) & (SLOTS - 1);
        long now = nanoClock.getAsLong();
        if (at[slot] != 0 && key1[slot] == k1 && key2[slot] == k2 && now - at[slot] < holdOffNs) {
            suppressed++;
            return;
        }
        key1[slot] = k1;
        key2[slot] = k2;
        at[slot] = now == 0 ? 1 : now;
        reported++;
        client.reportMiss(vm.vni(), p.protocol(), p.ipv4Src(), p.ipv4Dst());
    }

    /** The hoverboards carry the packet meanwhile; the flow is programmed all the same. */
    @Override
    public void onForwardedMiss(VmPort vm, ParsedPacket p) {
        onMiss(vm, p);
    }

    /** Misses sent to the controller. */
    public long reported() {
        return reported;
    }

    /** Misses of a flow already reported within the hold-off. */
    public long suppressed() {
        return suppressed;
    }
}
