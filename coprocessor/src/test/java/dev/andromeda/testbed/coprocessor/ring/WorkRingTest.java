package dev.andromeda.testbed.coprocessor.ring;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkRingTest {

    @Test
    void roundsItsCapacityUpToAPowerOfTwoAndOwnsThatManyItems() {
        WorkRing ring = new WorkRing(1, Direction.EGRESS, 100);
        assertThat(ring.capacity()).isEqualTo(128);
        assertThat(ring.freeItems()).isEqualTo(128);
        assertThat(new WorkRing(1, Direction.EGRESS, 1).capacity()).isEqualTo(4);
    }

    @Test
    void countsADropWhenFullAndLosesNothingElse() {
        WorkRing ring = new WorkRing(7, Direction.INGRESS, 8);
        for (int i = 0; i < 8; i++) {
            WorkItem item = ring.claim();
            assertThat(item).isNotNull();
            ring.commit(item.packet(WorkKind.FLOW_MISS, 100 + i, 64L * i, 60 + i).cookie(i));
        }

        assertThat(ring.claim()).isNull();
        assertThat(ring.claim()).isNull();
        assertThat(ring.ringFullDrops()).isEqualTo(2);

        List<Long> served = new ArrayList<>();
        WorkItem req;
        while ((req = ring.pollRequest()) != null) {
            served.add(req.cookie());
            assertThat(req.buffer()).isEqualTo(100 + (int) req.cookie());
            assertThat(req.offset()).isEqualTo(64L * req.cookie());
            assertThat(req.length()).isEqualTo(60 + (int) req.cookie());
            req.pass(req.cookie() * 10);
            ring.publishResult(req);
        }
        assertThat(served).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);

        List<Long> actions = new ArrayList<>();
        assertThat(ring.drainResults(item -> actions.add(item.action()), Integer.MAX_VALUE)).isEqualTo(8);
        assertThat(actions).containsExactly(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L);
        assertThat(ring.freeItems()).isEqualTo(8);
        assertThat(ring.outstanding()).isZero();
        assertThat(ring.ringFullDrops()).isEqualTo(2);
    }

    @Test
    void recyclesItsItemsInsteadOfMakingNewOnes() {
        WorkRing ring = new WorkRing(1, Direction.EGRESS, 16);
        Set<WorkItem> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int round = 0; round < 1_000; round++) {
            for (int i = 0; i < 5; i++) {
                WorkItem item = ring.claim();
                seen.add(item);
                ring.commit(item.packet(WorkKind.FLOW_MISS, i, 0, 64));
            }
            WorkItem req;
            while ((req = ring.pollRequest()) != null) {
                req.pass();
                ring.publishResult(req);
            }
            ring.drainResults(item -> { }, 64);
        }
        assertThat(seen).hasSizeLessThanOrEqualTo(ring.capacity());
        assertThat(ring.outstanding()).isZero();
    }

    @Test
    void allocatesNothingPerItemInTheSteadyState() {
        WorkRing ring = new WorkRing(1, Direction.EGRESS, 64);
        ResultHandler handler = item -> { };
        Runnable cycle = () -> {
            for (int i = 0; i < 32; i++) {
                ring.commit(ring.claim().packet(WorkKind.FLOW_MISS, i, i, 64).headers(1, 2, 3, 4, 5, 6));
            }
            WorkItem req;
            while ((req = ring.pollRequest()) != null) {
                req.pass(42);
                ring.publishResult(req);
            }
            ring.drainResults(handler, 64);
        };
        for (int i = 0; i < 20_000; i++) {
            cycle.run(); // warm up, let the JIT settle
        }
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            cycle.run();
        }
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        // 320,000 items through the ring; a few KB of noise (the MXBean call itself) is allowed.
        assertThat(allocated).as("bytes allocated for 320,000 items").isLessThan(32 * 1024);
    }

    @Test
    void refusesAnItemFromAnotherRing() {
        WorkRing a = new WorkRing(1, Direction.EGRESS, 4);
        WorkRing b = new WorkRing(2, Direction.EGRESS, 4);
        WorkItem item = a.claim();
        assertThatThrownBy(() -> b.commit(item)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearsAClaimedItemOfItsPreviousUse() {
        WorkRing ring = new WorkRing(1, Direction.EGRESS, 4);
        for (int i = 0; i < 4; i++) {
            WorkItem item = ring.claim();
            item.packet(WorkKind.CRYPTO, 9, 9, 9).headers(9, 9, 9, 9, 9, 9).cookie(9).drop(DropReason.ACL_DENIED);
            ring.abort(item);
        }
        WorkItem again = ring.claim();
        assertThat(again.kind()).isNull();
        assertThat(again.cookie()).isZero();
        assertThat(again.verdict()).isEqualTo(Verdict.PENDING);
        assertThat(again.dropReason()).isNull();
        assertThat(again.srcIp()).isZero();
    }
}
