package dev.andromeda.testbed.fastpath.pipeline;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineTest {
    /** A toy batch: a few ints the stages add to, and how many packets are live. */
    static final class Batch {
        final long[] values = new long[4];
        int live = 4;
    }

    private static Pipeline<Batch> pipeline() {
        return new Pipeline<>(b -> b.live, b -> 64L * b.live);
    }

    @Test
    void runsStagesInOrderAndAccountsForEach() {
        Pipeline<Batch> p = pipeline();
        p.addLast("double", b -> {
            for (int i = 0; i < b.values.length; i++) {
                b.values[i] *= 2;
            }
        });
        p.addLast("plus-one", b -> {
            for (int i = 0; i < b.values.length; i++) {
                b.values[i] += 1;
            }
        });
        Batch b = new Batch();
        b.values[0] = 5;
        p.process(b);
        assertThat(b.values[0]).isEqualTo(11);
        assertThat(p.names()).containsExactly("double", "plus-one");
        assertThat(p.accounts()).allSatisfy(a -> {
            assertThat(a.packets()).isEqualTo(4);
            assertThat(a.bytes()).isEqualTo(256);
            assertThat(a.batches()).isEqualTo(1);
        });
    }

    @Test
    void stopsWhenNoPacketIsLeft() {
        Pipeline<Batch> p = pipeline();
        p.addLast("drop-all", b -> b.live = 0);
        p.addLast("never", b -> b.values[0] = 99);
        Batch b = new Batch();
        p.process(b);
        assertThat(b.values[0]).isZero();
        assertThat(p.accounts().get(1).packets()).isZero();
    }

    @Test
    void refusesDuplicateAndUnknownNames() {
        Pipeline<Batch> p = pipeline();
        p.addLast("a", b -> { });
        assertThatThrownBy(() -> p.addLast("a", b -> { })).hasMessageContaining("already");
        assertThatThrownBy(() -> p.replace("b", b -> { })).hasMessageContaining("no stage named 'b'");
    }

    @Test
    void replacesAStageWhileRunningWithEveryBatchSeeingOneWholeList() throws Exception {
        Pipeline<Batch> p = pipeline();
        // Two stages that must agree: "first" writes a version, "second" checks it.
        long[] version = {0};
        p.addLast("first", b -> b.values[0] = 1);
        p.addLast("second", b -> b.values[1] = b.values[0]);
        AtomicBoolean stop = new AtomicBoolean();
        Thread control = new Thread(() -> {
            for (int k = 2; k < 2000 && !stop.get(); k++) {
                final long v = k;
                p.replace("first", b -> b.values[0] = v);
                version[0] = v;
            }
        });
        control.start();
        long batches = 0;
        do { // at least once: the control thread may be done before this one is scheduled
            Batch b = new Batch();
            p.process(b);
            assertThat(b.values[1]).isEqualTo(b.values[0]);
            batches++;
        } while (control.isAlive());
        control.join();
        stop.set(true);
        assertThat(batches).isPositive();
        assertThat(p.accounts().getFirst().batches()).isEqualTo(batches);
        assertThat(p.accounts().getFirst().name()).isEqualTo("first");
    }

    @Test
    void parsesStageMixesAndRejectsBadOnes() {
        StageMix m = StageMix.parse("checksum=rtl-ffm, copy=emu@1024");
        assertThat(m.toString()).isEqualTo("checksum=rtl-ffm,copy=emu@1024,crypto=sw");
        assertThat(StageMix.all("rtl-jni").toString()).isEqualTo("checksum=rtl-jni,copy=rtl-jni,crypto=rtl-jni");
        assertThatThrownBy(() -> StageMix.parse("dma=sw")).hasMessageContaining("no stage 'dma'");
        assertThatThrownBy(() -> StageMix.parse("copy=fpga")).hasMessageContaining("no implementation 'fpga'");
        assertThatThrownBy(() -> StageMix.parse("copy=sw@-3")).hasMessageContaining("threshold");
        assertThatThrownBy(() -> StageMix.parse("copy")).hasMessageContaining("expected stage=impl");
    }

    @Test
    void aMixHasAShortNameForChartsAndNarrowTables() {
        assertThat(StageMix.software().shortName()).isEqualTo("all sw");
        assertThat(StageMix.all("rtl-ffm").shortName()).isEqualTo("all rtl-ffm");
        assertThat(StageMix.parse("checksum=sw,copy=rtl-ffm,crypto=sw").shortName()).isEqualTo("copy=rtl-ffm");
        assertThat(StageMix.parse("copy=sw@512").shortName()).isEqualTo("copy=sw@512");
        assertThat(StageMix.parse("checksum=emu,copy=emu,crypto=emu@64").shortName())
                .isEqualTo("checksum=emu,copy=emu,crypto=emu@64");
    }
}
