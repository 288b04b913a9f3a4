package dev.andromeda.testbed.coprocessor;

import dev.andromeda.testbed.coprocessor.acl.DosGuard;
import dev.andromeda.testbed.coprocessor.acl.InternetAcl;
import dev.andromeda.testbed.fastpath.agent.AgentRunner;
import dev.andromeda.testbed.coprocessor.flow.FlowMissHandler;
import dev.andromeda.testbed.coprocessor.sched.CoprocessorWorker;
import dev.andromeda.testbed.coprocessor.sched.LeastRecentlyServedScheduler;
import dev.andromeda.testbed.coprocessor.sched.VmService;
import dev.andromeda.testbed.coprocessor.shaping.TokenBucketShaper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * K floating coprocessor threads serving M VMs. Each VM has an egress and an ingress
 * {@link dev.andromeda.testbed.coprocessor.ring.WorkRing} the fast path feeds; each worker, in each
 * duty cycle, serves one slice of the least recently served VM with pending work, and the slice's
 * CPU time is billed to that VM.
 *
 * <pre>
 *   fast path ──► vm0.egress / vm0.ingress ─┐
 *   fast path ──► vm1.egress / vm1.ingress ─┼─► LeastRecentlyServedScheduler ◄── worker 0 .. K-1
 *   fast path ──► vm2.egress / vm2.ingress ─┘        (claim one VM, serve a slice, release)
 * </pre>
 *
 * <p>Built stopped: tests drive {@link #worker(int)}{@code .doWork()} by hand, deterministically.
 * {@link #start()} runs every worker on its own thread; {@link #close()} stops and joins them all
 * (each closes its crypto stage on its own thread) and is idempotent.
 */
public final class CoprocessorPool implements AutoCloseable {
    private final PoolConfig config;
    private final List<VmService> vms;
    private final LeastRecentlyServedScheduler scheduler;
    private final List<CoprocessorWorker> workers;
    private final List<AgentRunner> runners = new ArrayList<>();
    private boolean started;
    private boolean closed;

    public CoprocessorPool(PoolConfig config, List<VmConfig> vmConfigs) {
        this.config = config;
        Set<Integer> ids = new HashSet<>();
        List<VmService> list = new ArrayList<>();
        for (VmConfig vm : vmConfigs) {
            if (!ids.add(vm.vmId())) {
                throw new IllegalArgumentException("VM " + vm.vmId() + " configured twice");
            }
            list.add(service(vm));
        }
        this.vms = List.copyOf(list);
        this.scheduler = new LeastRecentlyServedScheduler(vms, config.nanoClock());
        List<CoprocessorWorker> ws = new ArrayList<>();
        for (int k = 0; k < config.workers(); k++) {
            ws.add(new CoprocessorWorker(k, scheduler, config.cryptoStages()));
        }
        this.workers = List.copyOf(ws);
    }

    private VmService service(VmConfig vm) {
        var clock = config.nanoClock();
        return new VmService(vm.vmId(), vm.ringCapacity(),
                new InternetAcl(vm.aclRules(), vm.aclDefaultAllow()),
                new DosGuard(vm.dosPacketsPerSecond(), vm.dosBurst(), vm.dosSources(), vm.dosWays(), clock),
                new FlowMissHandler(vm.vmId(), config.flowResolver(), vm.flowMissesPerSecond(), vm.flowMissBurst(),
                        clock),
                sink -> new TokenBucketShaper(vm.wanBytesPerSecond(), vm.wanBurstBytes(), vm.wanQueueLimit(), clock,
                        sink),
                config.cpuClock(), config.sliceBudget());
    }

    /** Starts the K worker threads. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("pool closed");
        }
        if (started) {
            throw new IllegalStateException("pool already started");
        }
        started = true;
        for (CoprocessorWorker w : workers) {
            AgentRunner r = new AgentRunner(w, config.idleStrategy().get());
            runners.add(r);
            r.start();
        }
    }

    /** The VMs, in configuration order. */
    public List<VmService> vms() {
        return vms;
    }

    /** The VM with this id. */
    public VmService vm(int vmId) {
        // Indexed: the fast path asks this per flow miss, and a for-each allocates an Iterator
        // that only the JIT's escape analysis (not always) takes away (issue 11).
        for (int k = 0; k < vms.size(); k++) {
            VmService vm = vms.get(k);
            if (vm.vmId() == vmId) {
                return vm;
            }
        }
        throw new IllegalArgumentException("no VM " + vmId);
    }

    /** Worker k, to drive by hand while the pool is not started. */
    public CoprocessorWorker worker(int k) {
        return workers.get(k);
    }

    public LeastRecentlyServedScheduler scheduler() {
        return scheduler;
    }

    /** What CPU time is measured with. */
    public String cpuClockName() {
        return config.cpuClock().name();
    }

    /** Duty cycles that threw, over all worker threads. */
    public synchronized long workerErrors() {
        return runners.stream().mapToLong(AgentRunner::errors).sum();
    }

    /** The worker threads (empty before start); for leak checks. */
    public synchronized List<Thread> threads() {
        return runners.stream().map(AgentRunner::thread).toList();
    }

    /** Stops and joins every worker thread; closes hand-driven workers' stages on this thread. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AgentRunner r : runners) {
            r.close();
        }
        if (!started) {
            for (CoprocessorWorker w : workers) {
                w.onClose();
            }
        }
    }
}
