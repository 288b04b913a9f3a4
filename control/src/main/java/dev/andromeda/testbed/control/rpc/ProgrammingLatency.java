package dev.andromeda.testbed.control.rpc;

import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Time to program a new VM (the paper: median 184 ms, p99 576 ms): a
 * controller on gRPC and one host agent; each new VM adds its flows to the
 * host's program, the controller sends it, the agent validates it, checkpoints
 * it (forced to disk) and swaps it into the fast path, and acks. Measured from
 * {@code setProgram} to the controller seeing the ack.
 */
public final class ProgrammingLatency {
    /**
     * @param medianMs median time to program a VM, milliseconds
     * @param p99Ms    99th percentile, milliseconds
     */
    public record Result(int vms, double medianMs, double p99Ms, double maxMs, int finalFlows) {
    }

    private ProgrammingLatency() {
    }

    /** Programs {@code vms} new VMs one after another; the host's state goes to {@code stateDir}. */
    public static Result measure(int vms, Path stateDir) throws IOException, InterruptedException {
        if (vms < 1) {
            throw new IllegalArgumentException("vms must be at least 1");
        }
        long[] ns = new long[vms];
        try (Host host = new Host("latency-host", 0xC0A80001, 0x02_00_00_00_00_01L, 64, 4096, StageMix.software(),
                OffloadOptions.defaults());
             VmController controller = new VmController("vmc", 1)) {
            HostAgent agent = new HostAgent(host, stateDir);
            try (HostAgentClient client = new HostAgentClient(agent, "latency-host", controller.address()).start()) {
                FlowProgram.Builder b = FlowProgram.builder(0, 1).host(0xC0A80001, 0x02_00_00_00_00_01L)
                        .host(0xC0A80002, 0x02_00_00_00_00_02L).hoverboards(1);
                for (int k = 1; k <= vms; k++) {
                    // The new VM k (10.0.x.y, VNI 100, local port k): flows from it to the VMs before it.
                    int ip = 0x0A000000 + k;
                    for (int other = Math.max(1, k - 4); other < k; other++) {
                        b.flow(100, 17, ip, 0x0A000000 + other, FlowAction.deliver(other), FirewallPolicy.ALLOW_ALL);
                        b.flow(100, 17, 0x0A000000 + other, ip, FlowAction.deliver(k), FirewallPolicy.ALLOW_ALL);
                    }
                    FlowProgram p = b.build().withVersion(k, 1);
                    long t0 = System.nanoTime();
                    controller.setProgram("latency-host", p);
                    long deadline = t0 + 10_000_000_000L;
                    while (controller.convergedVersion("latency-host") < k) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("host did not converge to version " + k + " within 10 s");
                        }
                        Thread.onSpinWait();
                    }
                    ns[k - 1] = System.nanoTime() - t0;
                }
            }
            long[] sorted = ns.clone();
            Arrays.sort(sorted);
            return new Result(vms, sorted[vms / 2] / 1e6, sorted[Math.min(vms - 1, (int) Math.ceil(vms * 0.99) - 1)] / 1e6,
                    sorted[vms - 1] / 1e6, agent.program().flows().size());
        }
    }
}
