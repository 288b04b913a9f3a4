package dev.andromeda.testbed.coprocessor.host;

import dev.andromeda.testbed.coprocessor.CoprocessorPool;
import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.VmConfig;
import dev.andromeda.testbed.coprocessor.ring.Verdict;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.ring.WorkKind;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;
import dev.andromeda.testbed.coprocessor.sched.VmService;
import dev.andromeda.testbed.fastpath.dataplane.CryptoCoprocessor;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host's coprocessors: a {@link CoprocessorPool} with a service for each of
 * the host's VMs (by virtio port) and one for the host itself
 * ({@link CryptoCoprocessor#HOST}: PSP is opened before the VM is known, and a
 * hoverboard's forwarding belongs to no VM). While the host's crypto stage is
 * software, its PSP batches go to the VM's egress ring as CRYPTO items; the
 * workers run them through their own crypto stage, bill the CPU to that VM, and
 * hand them back; the host drains the results on its own thread.
 *
 * <p>Attach after the VMs are plugged in: a VM added later has no service, and
 * its PSP packets are counted drops ({@code COPROCESSOR_FULL}).
 */
public final class HostCoprocessors implements CryptoCoprocessor {
    /** Results taken from one ring per drain: at most a ring's worth keeps every turn bounded. */
    private static final int DRAIN_LIMIT = 64;

    private final CoprocessorPool pool;
    private final Map<Integer, WorkRing> rings = new HashMap<>();
    private final WorkRing[] ringArray;
    private Completion completion;
    private final dev.andromeda.testbed.coprocessor.ring.ResultHandler handler =
            item -> completion.done((int) item.cookie(), item.verdict() == Verdict.PASS);

    private HostCoprocessors(CoprocessorPool pool) {
        this.pool = pool;
        for (VmService s : pool.vms()) {
            rings.put(s.vmId(), s.egress());
        }
        this.ringArray = rings.values().toArray(new WorkRing[0]);
    }

    /** Starts a pool for the host's VMs (and the host) and plugs it into the host. */
    public static HostCoprocessors attach(Host host, PoolConfig config, int ringCapacity) {
        return attach(host, config, ringCapacity, true);
    }

    /** As {@link #attach(Host, PoolConfig, int)}; with {@code start} false the workers are driven by hand. */
    public static HostCoprocessors attach(Host host, PoolConfig config, int ringCapacity, boolean start) {
        List<VmConfig> vms = new ArrayList<>();
        vms.add(VmConfig.defaults(HOST).withRingCapacity(ringCapacity));
        for (VirtioNic nic : host.vms()) {
            vms.add(VmConfig.defaults(nic.port().port()).withRingCapacity(ringCapacity));
        }
        CoprocessorPool pool = new CoprocessorPool(config, vms);
        HostCoprocessors c = new HostCoprocessors(pool);
        if (start) {
            pool.start();
        }
        host.useCryptoCoprocessor(c);
        return c;
    }

    @Override
    public boolean submit(int vmPort, CryptoBatch batch, int token) {
        WorkRing ring = rings.get(vmPort);
        if (ring == null) {
            return false;
        }
        WorkItem item = ring.claim();
        if (item == null) {
            return false; // counted by the ring as RING_FULL
        }
        ring.commit(item.packet(WorkKind.CRYPTO, -1, 0, batch.size()).batch(batch).cookie(token));
        return true;
    }

    @Override
    public int drain(Completion done) {
        completion = done;
        int n = 0;
        for (WorkRing r : ringArray) {
            n += r.drainResults(handler, DRAIN_LIMIT);
        }
        return n;
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
