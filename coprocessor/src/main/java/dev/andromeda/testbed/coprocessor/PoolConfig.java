package dev.andromeda.testbed.coprocessor;

import dev.andromeda.testbed.fastpath.agent.BackoffIdleStrategy;
import dev.andromeda.testbed.fastpath.agent.IdleStrategy;
import dev.andromeda.testbed.coprocessor.flow.FlowResolver;
import dev.andromeda.testbed.coprocessor.sched.CpuClock;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How the pool runs.
 *
 * @param workers      floating coprocessor threads (K)
 * @param sliceBudget  requests taken per ring in one VM's service slice (the batch)
 * @param nanoClock    time for rate limits and shaping (inject a fake one in tests)
 * @param cpuClock     what a service slice costs the VM
 * @param idleStrategy one per worker thread
 * @param cryptoStages opens a worker's crypto stage, on the worker's thread; null: no crypto
 * @param flowResolver answers flow misses (the control plane)
 */
public record PoolConfig(int workers, int sliceBudget, LongSupplier nanoClock, CpuClock cpuClock,
                         Supplier<? extends IdleStrategy> idleStrategy,
                         Supplier<? extends CryptoOffload> cryptoStages, FlowResolver flowResolver) {

    /** A resolver for pools that get no flow misses: every miss is dropped as FLOW_RESOLVER_FAILED. */
    public static final FlowResolver NO_RESOLVER = (vm, vni, src, dst, sport, dport, proto) -> {
        throw new IllegalStateException("no flow resolver configured");
    };

    public PoolConfig {
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers must be 1..256: " + workers);
        }
        if (sliceBudget < 1) {
            throw new IllegalArgumentException("slice budget must be positive: " + sliceBudget);
        }
    }

    /** Two workers, slices of 32 per ring (the egress batch), System.nanoTime, thread CPU time, sw crypto. */
    public static PoolConfig defaults() {
        return new PoolConfig(2, 32, System::nanoTime, CpuClock.threadCpuTime(), BackoffIdleStrategy::defaults,
                SoftwareGcm::new, NO_RESOLVER);
    }

    public PoolConfig withWorkers(int n) {
        return new PoolConfig(n, sliceBudget, nanoClock, cpuClock, idleStrategy, cryptoStages, flowResolver);
    }

    public PoolConfig withSliceBudget(int budget) {
        return new PoolConfig(workers, budget, nanoClock, cpuClock, idleStrategy, cryptoStages, flowResolver);
    }

    public PoolConfig withClocks(LongSupplier nanos, CpuClock cpu) {
        return new PoolConfig(workers, sliceBudget, nanos, cpu, idleStrategy, cryptoStages, flowResolver);
    }

    public PoolConfig withCryptoStages(Supplier<? extends CryptoOffload> stages) {
        return new PoolConfig(workers, sliceBudget, nanoClock, cpuClock, idleStrategy, stages, flowResolver);
    }

    public PoolConfig withFlowResolver(FlowResolver resolver) {
        return new PoolConfig(workers, sliceBudget, nanoClock, cpuClock, idleStrategy, cryptoStages, resolver);
    }
}
