package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.kit.Input;
import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.kit.Module;
import dev.andromeda.testbed.hw.kit.Output;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checker against a stream whose every signal the test drives directly. */
class StreamProtocolCheckerTest {

    /** A sink that is never ready unless told: ports only, to drive the checker. */
    static final class Wires extends Module {
        final Input tvalid = input("s_axis_tvalid", 1);
        final Input tdata = input("s_axis_tdata", 64);
        final Input tkeep = input("s_axis_tkeep", 8);
        final Input tlast = input("s_axis_tlast", 1);
        final Input readyIn = input("ready_in", 1);
        final Output tready = output("s_axis_tready", 1);

        Wires() {
            super("wires");
        }

        @Override
        protected void nextState() {
        }

        @Override
        protected void drive() {
            tready.set(readyIn.get());
        }
    }

    private final KitModel model = new KitModel(new Wires());
    private final Channel channel = Channel.axiStream(model, "s_axis");
    private final StreamProtocolChecker checker = StreamProtocolChecker.axiStream(model, channel);

    private void beat(long cycle, boolean valid, long data, long keep, boolean last) {
        model.set(model.port("s_axis_tvalid"), valid ? 1 : 0);
        model.set(model.port("s_axis_tdata"), data);
        model.set(model.port("s_axis_tkeep"), keep);
        model.set(model.port("s_axis_tlast"), last ? 1 : 0);
        checker.beforeEdge(cycle);
        checker.sample(cycle);
        model.step(1);
    }

    @Test
    void acceptsHeldBeatsAndCountsTheOnesThatMove() {
        beat(0, true, 1, 0xFF, false);
        beat(1, true, 1, 0xFF, false);
        model.set(model.port("ready_in"), 1);
        model.step(1);
        beat(3, true, 1, 0xFF, false);
        beat(4, true, 2, 0x0F, true);
        assertThat(checker.beats()).isEqualTo(2);
    }

    @Test
    void rejectsValidDroppedBeforeTheBeatWasTaken() {
        beat(0, true, 1, 0xFF, false);
        assertThatThrownBy(() -> beat(1, false, 1, 0xFF, false))
                .isInstanceOf(ProtocolViolation.class).hasMessageContaining("valid dropped").hasMessageContaining("cycle 1");
    }

    @Test
    void rejectsPayloadChangedWhileStalled() {
        beat(0, true, 1, 0xFF, false);
        assertThatThrownBy(() -> beat(1, true, 2, 0xFF, false))
                .isInstanceOf(ProtocolViolation.class).hasMessageContaining("s_axis_tdata changed");
    }

    @Test
    void rejectsHolesInTkeepAndPartialBeatsBeforeTheLast() {
        assertThatThrownBy(() -> beat(0, true, 1, 0b1011, true))
                .isInstanceOf(ProtocolViolation.class).hasMessageContaining("not contiguous");
        StreamProtocolChecker fresh = StreamProtocolChecker.axiStream(model, channel);
        model.set(model.port("s_axis_tvalid"), 1);
        model.set(model.port("s_axis_tkeep"), 0x0F);
        model.set(model.port("s_axis_tlast"), 0);
        assertThatThrownBy(() -> fresh.sample(5)).hasMessageContaining("partial beat");
    }
}
