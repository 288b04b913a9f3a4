package dev.andromeda.testbed.coprocessor.sched;

import dev.andromeda.testbed.fastpath.agent.Agent;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/**
 * One floating coprocessor thread's agent: each duty cycle claims the least recently served VM
 * with pending work, serves one slice of it, and gives it back. Not pinned; any worker serves any
 * VM, one worker at a time per VM.
 *
 * <p>The worker owns a crypto stage, opened lazily on its own thread from the pool's factory and
 * closed there in {@link #onClose()}: stages are thread-confined (Verilated models must be built
 * and evaluated on one thread), so floating VMs share the worker's stage, never the other way round.
 */
public final class CoprocessorWorker implements Agent {
    private static final VarHandle LAST_VM;

    static {
        try {
            LAST_VM = MethodHandles.lookup().findVarHandle(CoprocessorWorker.class, "lastServedVm", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int index;
    private final LeastRecentlyServedScheduler scheduler;
    private final Supplier<? extends CryptoOffload> cryptoStages;
    private CryptoOffload cryptoStage;
    private boolean cryptoOpenFailed;
    @SuppressWarnings("unused") // through LAST_VM
    private int lastServedVm = -1;

    public CoprocessorWorker(int index, LeastRecentlyServedScheduler scheduler,
                             Supplier<? extends CryptoOffload> cryptoStages) {
        this.index = index;
        this.scheduler = scheduler;
        this.cryptoStages = cryptoStages;
    }

    @Override
    public int doWork() {
        VmService vm = scheduler.claimNext();
        if (vm == null) {
            return 0;
        }
        try {
            LAST_VM.setRelease(this, vm.vmId());
            return vm.serve(this);
        } finally {
            vm.release();
        }
    }

    /** The VM this worker served last, -1 before any (for step-by-step tests and diagnostics). */
    public int lastServedVm() {
        return (int) LAST_VM.getAcquire(this);
    }

    /** This worker's crypto stage, opened on first use on the calling (worker) thread; null if none. */
    CryptoOffload cryptoStage() {
        if (cryptoStage == null && !cryptoOpenFailed && cryptoStages != null) {
            try {
                cryptoStage = cryptoStages.get();
            } catch (RuntimeException e) {
                cryptoOpenFailed = true; // every crypto item is then dropped as CRYPTO_STAGE_FAILED
            }
        }
        return cryptoStage;
    }

    /** The crypto stage's own counters (jobs, bytes, CPU ns, hardware cycles), or null if never opened. */
    public CryptoOffload openedCryptoStage() {
        return cryptoStage;
    }

    @Override
    public String roleName() {
        return "coprocessor-" + index;
    }

    @Override
    public void onClose() {
        if (cryptoStage != null) {
            cryptoStage.close();
            cryptoStage = null;
        }
    }
}
