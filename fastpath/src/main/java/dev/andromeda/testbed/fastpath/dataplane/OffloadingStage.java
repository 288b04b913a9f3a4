package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.offload.OffloadStage;
import dev.andromeda.testbed.fastpath.offload.Stage;

/**
 * A pipeline stage that hands its work to one of the host's offload stages,
 * and reports that offload's hardware cycles and simulation time so the
 * pipeline books them apart from CPU time. The offload is looked up on each
 * call: a new stage mix takes effect between batches.
 */
abstract class OffloadingStage extends HostStage {
    private final Stage kind;

    OffloadingStage(HostContext host, Stage kind) {
        super(host);
        this.kind = kind;
    }

    private OffloadStage offload() {
        return switch (kind) {
            case CHECKSUM -> host.offloads.checksum;
            case COPY -> host.offloads.copy;
            case CRYPTO -> host.offloads.crypto;
        };
    }

    @Override
    public final long hardwareCycles() {
        return offload().counters().hwCycles();
    }

    @Override
    public final long simulationNs() {
        return offload().counters().simWallNs();
    }
}
