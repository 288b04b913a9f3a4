package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;

/**
 * The checksum stage on a {@code csum_offload} block behind any
 * {@link HardwareModel} -- Java cycle model or Verilated RTL; costs are kept
 * apart as in {@link HardwareStage}.
 */
public final class HardwareChecksumOffload
        extends HardwareStage<ChecksumBatch, CsumOffloadDriver.Job, CsumOffloadDriver.Result>
        implements ChecksumOffload {
    private final CsumOffloadDriver driver;

    /** Takes ownership of the model; it is closed with this stage. */
    public HardwareChecksumOffload(HardwareModel model, OffloadOptions options) {
        super(model, options, CsumOffloadDriver.Job[]::new);
        this.driver = new CsumOffloadDriver(model);
    }

    @Override
    public void process(ChecksumBatch batch) {
        runBatch(batch);
    }

    @Override
    protected CsumOffloadDriver.Job job(ChecksumBatch batch, int i, int k) {
        return new CsumOffloadDriver.Job(batch.bufferOffset(i), batch.length(i), batch.csumStart(i),
                batch.csumOffset(i), batch.insert(i), batch.seed(i), batch.udp(i), -1);
    }

    @Override
    protected long bytes(ChecksumBatch batch, int i) {
        return batch.length(i);
    }

    @Override
    protected CsumOffloadDriver.Result run(ChecksumBatch batch, CsumOffloadDriver.Job[] jobs) {
        return driver.run(batch.hostMemory(), jobs, nextSeed(), options.idleProbability(),
                options.backpressureProbability());
    }

    @Override
    protected long cycles(CsumOffloadDriver.Result r) {
        return r.cycles();
    }

    @Override
    protected boolean complete(ChecksumBatch batch, int i, CsumOffloadDriver.Job job, int k,
                               CsumOffloadDriver.Result r) {
        // Descriptors are validated before they reach the block, so a refusal here means the
        // block and the validation disagree: the job is rejected (and the packet dropped by the
        // fast path as CHECKSUM_REJECTED), never completed with a checksum the block did not compute.
        if (r.status()[k] != CsumOffloadModule.STATUS_OK) {
            return false;
        }
        batch.complete(i, r.csum()[k], r.latencyCycles()[k]);
        return true;
    }
}
