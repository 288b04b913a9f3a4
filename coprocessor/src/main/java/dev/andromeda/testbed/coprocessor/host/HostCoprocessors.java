package dev.andromeda.testbed.coprocessor.host;

import dev.andromeda.testbed.coprocessor.CoprocessorPool;
import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.VmConfig;
import dev.andromeda.testbed.coprocessor.flow.FastPathMissHandoff;
import dev.andromeda.testbed.coprocessor.ring.Direction;
import dev.andromeda.testbed.coprocessor.ring.ResultHandler;
import dev.andromeda.testbed.coprocessor.ring.Verdict;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.ring.WorkKind;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;
import dev.andromeda.testbed.coprocessor.sched.VmService;
import dev.andromeda.testbed.fastpath.dataplane.Coprocessors;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A host's coprocessors: a {@link CoprocessorPool} with a service for each of
 * the host's VMs (by virtio port, with its {@link VmConfig}: ring size, ACL, DoS
 * and WAN limits) and one for the host itself ({@link Coprocessors#HOST}).
 * PSP batches and Internet egress go to the VM's egress ring, Internet ingress
 * to its ingress ring; the workers run them (crypto stage; ACL and shaper; DoS
 * guard and ACL), bill the CPU to the VM and hand them back; the host drains
 * the results on its own thread. Flow misses go the same way
 * ({@link FastPathMissHandoff}): the pool's resolver answers on a worker, and
 * the answer reaches {@link #onResolvedMiss the listener} on the host's thread.
 *
 * <p>Attach after the VMs are plugged in: a VM added later (a migrated one) has
 * no service of its own and is served by the host's. Attaching also installs
 * the host's flow-miss handler ({@link FastPathMissHandoff}), replacing any set
 * before; set another one after attaching to take misses elsewhere.
 */
public final class HostCoprocessors implements Coprocessors {
    /** Results taken from one ring per drain: bounded, so one turn of the host's loop stays short. */
    private static final int DRAIN_LIMIT = 64;
    // Cookies: a crypto item carries its unit's token, an Internet item its VM's port (the
    // service it ran on may be the host's, for a VM plugged in after attach).

    private final CoprocessorPool pool;
    private final Map<Integer, VmService> services = new HashMap<>();
    private final WorkRing[] rings;
    private Completion completion;
    private final ResultHandler handler = this::complete;
    private volatile ResolvedMisses resolvedMisses = (vmPort, vni, proto, src, dst, action) -> { };
    private long missesAnswered;

    /** Where a resolved flow miss goes (the control side, which may program the flow); host thread. */
    @FunctionalInterface
    public interface ResolvedMisses {
        void resolved(int vmPort, int vni, int proto, int src, int dst, long action);
    }

    private HostCoprocessors(CoprocessorPool pool) {
        this.pool = pool;
        List<WorkRing> all = new ArrayList<>();
        for (VmService s : pool.vms()) {
            services.put(s.vmId(), s);
            all.add(s.egress());
            all.add(s.ingress());
        }
        this.rings = all.toArray(new WorkRing[0]);
    }

    /** Starts a pool for the host's VMs (default VM settings with this ring size) and plugs it in. */
    public static HostCoprocessors attach(Host host, PoolConfig config, int ringCapacity) {
        return attach(host, config, port -> VmConfig.defaults(port).withRingCapacity(ringCapacity), true);
    }

    /**
     * As {@link #attach(Host, PoolConfig, int)} with each VM's settings from {@code vmConfig}
     * (given the port; also asked for {@link Coprocessors#HOST}); with {@code start} false the
     * workers are driven by hand.
     */
    public static HostCoprocessors attach(Host host, PoolConfig config, Function<Integer, VmConfig> vmConfig,
                                          boolean start) {
        List<VmConfig> vms = new ArrayList<>();
        vms.add(vmConfig.apply(HOST));
        for (VirtioNic nic : host.vms()) {
            vms.add(vmConfig.apply(nic.port().port()));
        }
        CoprocessorPool pool = new CoprocessorPool(config, vms);
        HostCoprocessors c = new HostCoprocessors(pool);
        if (start) {
            pool.start();
        }
        host.useCoprocessors(c);
        host.onFlowMiss(new FastPathMissHandoff(pool));
        return c;
    }

    /**
     * The VM's service, or the host's own for a VM plugged in after attach (a migrated VM): its
     * work is then billed to the host and runs under the host service's limits.
     */
    private VmService serviceOf(int vmPort) {
        VmService s = services.get(vmPort);
        return s != null ? s : services.get(HOST);
    }

    @Override
    public boolean submitCrypto(int vmPort, CryptoBatch batch, int token) {
        VmService s = serviceOf(vmPort);
        WorkItem item = s == null ? null : s.egress().claim(); // null: RING_FULL, counted by the ring
        if (item == null) {
            return false;
        }
        s.egress().commit(item.packet(WorkKind.CRYPTO, -1, 0, batch.size()).batch(batch).cookie(token));
        return true;
    }

    @Override
    public boolean submitInternet(int vmPort, boolean egress, int vni, int buffer, long offset, int length,
                                  ParsedPacket p) {
        VmService s = serviceOf(vmPort);
        WorkRing ring = egress ? s.egress() : s.ingress();
        WorkItem item = ring.claim();
        if (item == null) {
            return false;
        }
        ring.commit(item.packet(egress ? WorkKind.INTERNET_EGRESS : WorkKind.INTERNET_INGRESS, buffer, offset, length)
                .headers(vni, p.ipv4Src(), p.ipv4Dst(), p.srcPort(), p.dstPort(), p.protocol()).cookie(vmPort));
        return true;
    }

    @Override
    public int drain(Completion done) {
        completion = done;
        int n = 0;
        for (WorkRing r : rings) {
            n += r.drainResults(handler, DRAIN_LIMIT);
        }
        return n;
    }

    /** Sets where resolved flow misses go. */
    public void onResolvedMiss(ResolvedMisses listener) {
        this.resolvedMisses = listener;
    }

    /** Flow misses the resolver answered (passed), as taken back by the host. */
    public long missesAnswered() {
        return missesAnswered;
    }

    private void complete(WorkItem item) {
        boolean passed = item.verdict() == Verdict.PASS;
        if (item.kind() == WorkKind.CRYPTO) {
            completion.crypto((int) item.cookie(), passed);
        } else if (item.kind() == WorkKind.FLOW_MISS) {
            if (passed) {
                missesAnswered++;
                resolvedMisses.resolved(item.ring().vmId(), item.vni(), item.protocol(), item.srcIp(), item.dstIp(),
                        item.action());
            }
        } else {
            completion.internet((int) item.cookie(), item.ring().direction() == Direction.EGRESS, passed,
                    item.buffer(), item.offset(), item.length());
        }
    }

    @Override
    public long cpuNs() {
        long ns = 0;
        for (VmService s : pool.vms()) {
            ns += s.counters().cpuNs();
        }
        return ns;
    }

    public CoprocessorPool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
