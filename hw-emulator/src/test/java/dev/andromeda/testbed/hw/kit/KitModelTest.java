package dev.andromeda.testbed.hw.kit;

import dev.andromeda.testbed.hw.PortDirection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KitModelTest {

    /** A counter with enable and a 4-entry memory written at the counter's value: the smallest block with both. */
    static final class Counter extends Module {
        final Input rst = input("rst", 1);
        final Input en = input("en", 1);
        final Input wdata = input("wdata", 8);
        final Output count = output("count", 4);
        final Output first = output("first", 8);
        final Reg countReg = reg("count_reg", 4);
        final Mem mem = mem("mem", 8, 4);

        Counter() {
            super("counter");
        }

        @Override
        protected void nextState() {
            if (en.isHigh()) {
                countReg.next(countReg.get() + 1);
                mem.write((int) countReg.get() & 3, wdata.get());
            }
            if (rst.isHigh()) {
                countReg.next(0);
            }
        }

        @Override
        protected void drive() {
            count.set(countReg.get());
            first.set(mem.read(0));
        }
    }

    @Test
    void registersTakeTheirNextValueOnlyAtTheRisingEdge() {
        KitModel m = new KitModel(new Counter());
        int en = m.port("en");
        int count = m.port("count");
        m.reset(1);
        m.set(en, 1);
        assertThat(m.get(count)).as("inputs change nothing before the edge").isZero();
        m.step(1);
        assertThat(m.get(count)).isEqualTo(1);
        m.set(en, 0);
        m.step(3);
        assertThat(m.get(count)).as("a register without next holds").isEqualTo(1);
        m.set(en, 1);
        m.step(16);
        assertThat(m.get(count)).as("4-bit register wraps").isEqualTo(1);
        assertThat(m.cycle()).isEqualTo(1 + 1 + 3 + 16);
    }

    @Test
    void memoryWritesLandAtTheEdgeAndReadsAreImmediate() {
        KitModel m = new KitModel(new Counter());
        m.reset(1);
        m.set(m.port("wdata"), 0xAB);
        m.set(m.port("en"), 1);
        assertThat(m.get(m.port("first"))).isZero();
        m.step(1);
        assertThat(m.get(m.port("first"))).isEqualTo(0xAB);
    }

    @Test
    void portsAreListedWithWidthAndDirectionAndUnknownNamesAreRejected() {
        KitModel m = new KitModel(new Counter());
        assertThat(m.ports().get(m.port("count")).width()).isEqualTo(4);
        assertThat(m.ports().get(m.port("count")).direction()).isEqualTo(PortDirection.OUT);
        assertThat(m.ports().get(m.port("clk")).direction()).isEqualTo(PortDirection.IN);
        assertThatThrownBy(() -> m.port("nope")).hasMessageContaining("no port 'nope'").hasMessageContaining("count");
        assertThatThrownBy(() -> m.set(m.port("count"), 1)).hasMessageContaining("not a settable input");
    }

    @Test
    void inputsDropBitsAboveTheirWidth() {
        KitModel m = new KitModel(new Counter());
        m.set(m.port("wdata"), 0x1FF);
        assertThat(m.get(m.port("wdata"))).isEqualTo(0xFF);
    }

    @Test
    void writesAVcdWithEveryPortAndRegisterAndTheirChanges(@TempDir Path dir) throws Exception {
        KitModel m = new KitModel(new Counter());
        m.reset(1);
        Path vcd = dir.resolve("w/counter.vcd");
        m.traceOn(vcd);
        m.set(m.port("en"), 1);
        m.step(3);
        m.traceOff();
        String text = Files.readString(vcd);
        assertThat(text).contains("$timescale", "$scope module counter $end", "$enddefinitions $end");
        assertThat(text).contains(" count [3:0] $end", " count_reg [3:0] $end", " en $end", " clk $end");
        // The counter reaches 3 (b11) and the clock toggles each half cycle.
        assertThat(text).contains("b11 ");
        assertThat(text.lines().filter(l -> l.startsWith("#")).count()).isEqualTo(1 + 2 * 3);
    }
}
