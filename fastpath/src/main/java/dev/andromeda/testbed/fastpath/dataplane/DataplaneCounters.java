package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.DropCounters;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A host's packet counters: sent, received, delivered, encapsulated, and every
 * drop by reason -- the dataplane's {@link Drop}s and the parser's malformed
 * headers. Single writer (the dataplane thread); readers get recent values.
 */
public final class DataplaneCounters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] drops = new long[Drop.values().length];
    private final DropCounters malformed = new DropCounters();
    private volatile long fromVms;
    private volatile long toWire;
    private volatile long fromWire;
    private volatile long toInternet;
    private volatile long fromInternet;
    private volatile long toVms;
    private volatile long hairpinned;

    void drop(Drop reason) {
        drops[reason.ordinal()]++;
    }

    DropCounters malformed() {
        return malformed;
    }

    void fromVms(int n) {
        fromVms += n;
    }

    void toWire(int n) {
        toWire += n;
    }

    void toInternet(int n) {
        toInternet += n;
    }

    void fromInternet(int n) {
        fromInternet += n;
    }

    /** Frames sent out of the Internet port (after the VMs' coprocessors). */
    public long toInternet() {
        return toInternet;
    }

    /** Frames the Internet port brought in (before the coprocessors' DoS guard and ACL). */
    public long fromInternet() {
        return fromInternet;
    }

    void fromWire(int n) {
        fromWire += n;
    }

    void toVms(int n) {
        toVms += n;
    }

    void hairpinned(int n) {
        hairpinned += n;
    }

    /** Packets sent on to another host from the ingress side: hairpins of migrated VMs, hoverboard forwarding. */
    public long hairpinned() {
        return hairpinned;
    }

    public long drops(Drop reason) {
        return (long) LONGS.getOpaque(drops, reason.ordinal());
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
        return fromVms;
    }

    public long toWire() {
        return toWire;
    }

    public long fromWire() {
        return fromWire;
    }

    public long toVms() {
        return toVms;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("from VMs " + fromVms + ", to wire " + toWire + ", from wire " + fromWire
                + ", to VMs " + toVms + (hairpinned > 0 ? ", hairpinned " + hairpinned : ""));
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
