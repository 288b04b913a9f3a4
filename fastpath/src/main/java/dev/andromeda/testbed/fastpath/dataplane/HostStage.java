package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.pipeline.BatchStage;

/** A stage of a host's pipelines: it works on the host's shared state, on the host's thread. */
abstract class HostStage implements BatchStage<HostBatch> {
    protected final HostContext host;

    HostStage(HostContext host) {
        this.host = host;
    }
}
