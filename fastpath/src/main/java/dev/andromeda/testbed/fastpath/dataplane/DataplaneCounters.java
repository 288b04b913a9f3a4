package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.stats.SingleWriterCounters;
import dev.andromeda.testbed.fastpath.packet.DropCounters;


/**
 * A host's packet counters: sent, received, delivered, encapsulated, and every
 * drop by reason -- the dataplane's {@link Drop}s and the parser's malformed
 * headers. Single writer (the dataplane thread); readers get recent values.
 */
public final class DataplaneCounters {

    private final SingleWriterCounters drops = new SingleWriterCounters(Drop.values().length);
    private final DropCounters malformed = new DropCounters();
    private static final int FROM_VMS = 0;
    private static final int TO_WIRE = 1;
    private static final int FROM_WIRE = 2;
    private static final int TO_INTERNET = 3;
    private static final int FROM_INTERNET = 4;
    private static final int TO_VMS = 5;
    private static final int HAIRPINNED = 6;
    private static final int DEFAULT_ROUTE_UNTRACKED = 7;
    private static final int CHECKSUMS_TO_NIC = 8;
    private static final int CHECKSUMS_FROM_NIC = 9;
    /** Single writer, any reader: opaque stores, no fence per update (see SingleWriterCounters). */
    private final SingleWriterCounters c = new SingleWriterCounters(10);

    void drop(Drop reason) {
        drops.add(reason.ordinal(), 1);
    }

    DropCounters malformed() {
        return malformed;
    }

    void fromVms(int n) {
        c.add(FROM_VMS, n);
    }

    void toWire(int n) {
        c.add(TO_WIRE, n);
    }

    void toInternet(int n) {
        c.add(TO_INTERNET, n);
    }

    void fromInternet(int n) {
        c.add(FROM_INTERNET, n);
    }

    /** Frames sent out of the Internet port (after the VMs' coprocessors). */
    public long toInternet() {
        return c.get(TO_INTERNET);
    }

    /** Frames the Internet port brought in (before the coprocessors' DoS guard and ACL). */
    public long fromInternet() {
        return c.get(FROM_INTERNET);
    }

    void fromWire(int n) {
        c.add(FROM_WIRE, n);
    }

    void toVms(int n) {
        c.add(TO_VMS, n);
    }

    void hairpinned(int n) {
        c.add(HAIRPINNED, n);
    }

    /** Packets sent on to another host from the ingress side: hairpins of migrated VMs, hoverboard forwarding. */
    public long hairpinned() {
        return c.get(HAIRPINNED);
    }

    void checksumsToNic(int n) {
        if (n > 0) {
            c.add(CHECKSUMS_TO_NIC, n);
        }
    }

    /** Egress checksums left to the NIC port to insert ({@code checksum=nic}). */
    public long checksumsToNic() {
        return c.get(CHECKSUMS_TO_NIC);
    }

    void checksumsFromNic(int n) {
        if (n > 0) {
            c.add(CHECKSUMS_FROM_NIC, n);
        }
    }

    /** Ingress checksums verified from the NIC's checksum-complete ({@code checksum=nic}). */
    public long checksumsFromNic() {
        return c.get(CHECKSUMS_FROM_NIC);
    }

    void defaultRouteUntracked(int n) {
        c.add(DEFAULT_ROUTE_UNTRACKED, n);
    }

    /**
     * Default-routed packets whose flow found {@link DefaultRouteUsage}'s table full in their
     * interval: sent, but their bytes were not measured for the offload decision.
     */
    public long defaultRouteUntracked() {
        return c.get(DEFAULT_ROUTE_UNTRACKED);
    }

    public long drops(Drop reason) {
        return drops.get(reason.ordinal());
    }

    /** Malformed packets, all reasons. */
    public long malformedTotal() {
        return malformed.total();
    }

    public DropCounters malformedByReason() {
        return malformed;
    }

    public long droppedTotal() {
        long t = malformed.total();
        for (Drop d : Drop.values()) {
            t += drops(d);
        }
        return t;
    }

    public long fromVms() {
        return c.get(FROM_VMS);
    }

    public long toWire() {
        return c.get(TO_WIRE);
    }

    public long fromWire() {
        return c.get(FROM_WIRE);
    }

    public long toVms() {
        return c.get(TO_VMS);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("from VMs " + fromVms() + ", to wire " + toWire() + ", from wire "
                + fromWire() + ", to VMs " + toVms() + (hairpinned() > 0 ? ", hairpinned " + hairpinned() : "")
                + (defaultRouteUntracked() > 0 ? ", default route untracked " + defaultRouteUntracked() : ""));
        for (Drop d : Drop.values()) {
            if (drops(d) > 0) {
                b.append(", ").append(d).append(' ').append(drops(d));
            }
        }
        if (malformed.total() > 0) {
            b.append(", malformed: ").append(malformed);
        }
        return b.toString();
    }
}
