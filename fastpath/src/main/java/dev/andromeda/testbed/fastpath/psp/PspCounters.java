package dev.andromeda.testbed.fastpath.psp;

/**
 * What a {@link PspTransport} did: packets sealed and opened, and packets
 * dropped by reason ({@link PspStatus}).
 *
 * <p>Written by the transport's owning thread only, with plain stores; read
 * them on that thread (the dataplane's report step) or after a happens-before
 * edge such as a thread join.
 */
public final class PspCounters {
    private long encapsulated;
    private long sealed;
    private long opened;
    private final long[] drops = new long[PspStatus.COUNT];

    void encapsulated() {
        encapsulated++;
    }

    void sealed() {
        sealed++;
    }

    void opened() {
        opened++;
    }

    /** Counts a drop; returns the status, so callers can {@code return counters.drop(reason)}. */
    int drop(int status) {
        drops[-status]++;
        return status;
    }

    public long encapsulatedPackets() {
        return encapsulated;
    }

    public long sealedPackets() {
        return sealed;
    }

    public long openedPackets() {
        return opened;
    }

    /** Packets dropped for one reason (a negative {@link PspStatus}). */
    public long drops(int status) {
        if (status >= 0 || -status >= PspStatus.COUNT) {
            throw new IllegalArgumentException("not a drop reason: " + status);
        }
        return drops[-status];
    }

    public long totalDrops() {
        long n = 0;
        for (int i = 1; i < drops.length; i++) {
            n += drops[i];
        }
        return n;
    }

    public void reset() {
        encapsulated = sealed = opened = 0;
        java.util.Arrays.fill(drops, 0);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("encapsulated=").append(encapsulated).append(" sealed=").append(sealed)
                .append(" opened=").append(opened);
        for (int i = 1; i < drops.length; i++) {
            if (drops[i] != 0) {
                b.append(' ').append(PspStatus.name(-i)).append('=').append(drops[i]);
            }
        }
        return b.toString();
    }
}
