package dev.andromeda.testbed.coprocessor.flow;

import dev.andromeda.testbed.coprocessor.CoprocessorPool;
import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.VmConfig;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.fastpath.dataplane.Drop;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class FastPathMissHandoffTest {

    @Test
    void aFlowMissReachesTheResolverOnACoprocessorThreadAndItsAnswerComesBack() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        FlowResolver resolver = (vm, vni, src, dst, sport, dport, proto) -> {
            asked.add(vm + " " + vni + " " + Integer.toHexString(src) + " " + Integer.toHexString(dst) + " " + proto);
            return 42;
        };
        try (Host host = new Host("h", 0xC0A80001, 0x02_00_00_00_00_01L, 256, 4096, StageMix.software(),
                OffloadOptions.defaults());
             CoprocessorPool pool = new CoprocessorPool(PoolConfig.defaults().withWorkers(1).withFlowResolver(resolver),
                     List.of(VmConfig.defaults(7)))) {
            VirtioNic vm = host.addVm(new VmPort(7, 300, 0x0A000001, 0x02_AA_00_00_00_07L));
            host.onFlowMiss(new FastPathMissHandoff(pool));
            pool.start();
            vm.send(TwoHosts.guestFrame(new Random(1), 0x0A000001, 0x0A000063, false, 10));
            host.doWork();
            assertThat(host.counters().drops(Drop.FLOW_MISS)).isEqualTo(1);
            List<WorkItem> answers = new ArrayList<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (answers.isEmpty() && System.nanoTime() < deadline) {
                pool.vm(7).egress().drainResults(item -> answers.add(item), 10);
                Thread.onSpinWait();
            }
            assertThat(asked).containsExactly("7 300 a000001 a000063 17");
            assertThat(answers).singleElement().satisfies(i -> assertThat(i.action()).isEqualTo(42));
        }
    }
}
