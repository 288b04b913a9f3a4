package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.packet.PacketPool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's side of crypto work at a coprocessor: each unit is one batch's
 * worth of packets whose buffers the coprocessor's batch works on, with where
 * they are and which descriptor is whose. Units are made on first need (up to
 * {@link #MAX_UNITS}) and reused; a host that never uses a coprocessor makes
 * none. Host thread only.
 */
final class CryptoInFlight implements AutoCloseable {
    /** Batches in flight per host at most: beyond this, new work is a counted drop. */
    static final int MAX_UNITS = 256;

    static final class Unit {
        final int token;
        final CryptoBatch batch;
        final int[] buffer = new int[HostContext.MAX_BATCH];
        final long[] offset = new long[HostContext.MAX_BATCH];
        final int[] length = new int[HostContext.MAX_BATCH];
        final int[] descriptor = new int[HostContext.MAX_BATCH];
        boolean seal;
        int n;

        Unit(int token, CryptoBatch batch) {
            this.token = token;
            this.batch = batch;
        }

        void add(int buf, long off, int len, int d) {
            buffer[n] = buf;
            offset[n] = off;
            length[n] = len;
            descriptor[n] = d;
            n++;
        }
    }

    private final PacketPool pool;
    private final List<Unit> units = new ArrayList<>();
    private final ArrayDeque<Unit> free = new ArrayDeque<>();
    private int inFlight;

    CryptoInFlight(PacketPool pool) {
        this.pool = pool;
    }

    /** A free unit, cleared, or null when {@link #MAX_UNITS} are in flight. */
    Unit claim(boolean seal) {
        Unit u = free.poll();
        if (u == null) {
            if (units.size() == MAX_UNITS) {
                return null;
            }
            u = new Unit(units.size(), CryptoBatch.shared(HostContext.MAX_BATCH, pool.memory()));
            units.add(u);
        }
        u.batch.clear();
        u.n = 0;
        u.seal = seal;
        inFlight++;
        return u;
    }

    Unit get(int token) {
        return units.get(token);
    }

    void release(Unit u) {
        inFlight--;
        free.push(u);
    }

    int inFlight() {
        return inFlight;
    }

    @Override
    public void close() {
        for (Unit u : units) {
            u.batch.close();
        }
    }
}
