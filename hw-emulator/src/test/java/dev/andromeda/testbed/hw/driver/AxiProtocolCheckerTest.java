package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.kit.Module;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AXI4 checker against an interface whose every signal the test drives directly. */
class AxiProtocolCheckerTest {

    /** Every AXI4 signal as a plain port: the test plays master and slave. */
    static final class Wires extends Module {
        Wires() {
            super("wires");
            for (AxiSignal s : AxiSignal.values()) {
                if (s != AxiSignal.ARBEATS && s != AxiSignal.AWBEATS) {
                    input("m_axi_" + s.axiName(), switch (s) {
                        case AWADDR, ARADDR, WDATA, RDATA -> 64;
                        case AWLEN, ARLEN, WSTRB -> 8;
                        case AWSIZE, ARSIZE, AWPROT, ARPROT -> 3;
                        case AWBURST, ARBURST, BRESP, RRESP -> 2;
                        case AWID, ARID, BID, RID -> 4;
                        default -> 1;
                    });
                }
            }
        }

        @Override
        protected void nextState() {
        }

        @Override
        protected void drive() {
        }
    }

    private final KitModel model = new KitModel(new Wires());
    private final AxiPorts ports = AxiPorts.bind(model, "m_axi");
    private final AxiProtocolChecker checker = new AxiProtocolChecker(ports);
    private long cycle;

    private void set(AxiSignal s, long v) {
        ports.set(s, v);
    }

    /** One cycle: the signals as set, checked, then every valid and ready dropped for the next. */
    private void edge() {
        checker.sample(cycle++);
        model.step(1);
        for (AxiSignal s : new AxiSignal[] {AxiSignal.ARVALID, AxiSignal.ARREADY, AxiSignal.RVALID, AxiSignal.RREADY,
                AxiSignal.AWVALID, AxiSignal.AWREADY, AxiSignal.WVALID, AxiSignal.WREADY, AxiSignal.BVALID,
                AxiSignal.BREADY, AxiSignal.RLAST, AxiSignal.WLAST}) {
            set(s, 0);
        }
    }

    private void ar(long addr, int beats, int size) {
        set(AxiSignal.ARADDR, addr);
        set(AxiSignal.ARLEN, beats - 1);
        set(AxiSignal.ARSIZE, size);
        set(AxiSignal.ARBURST, 1);
        set(AxiSignal.ARVALID, 1);
        set(AxiSignal.ARREADY, 1);
    }

    private void r(boolean last) {
        set(AxiSignal.RVALID, 1);
        set(AxiSignal.RREADY, 1);
        set(AxiSignal.RLAST, last ? 1 : 0);
    }

    private void aw(long addr, int beats) {
        set(AxiSignal.AWADDR, addr);
        set(AxiSignal.AWLEN, beats - 1);
        set(AxiSignal.AWSIZE, 3);
        set(AxiSignal.AWBURST, 1);
        set(AxiSignal.AWVALID, 1);
        set(AxiSignal.AWREADY, 1);
    }

    private void w(boolean last) {
        set(AxiSignal.WVALID, 1);
        set(AxiSignal.WREADY, 1);
        set(AxiSignal.WLAST, last ? 1 : 0);
    }

    private void b() {
        set(AxiSignal.BVALID, 1);
        set(AxiSignal.BREADY, 1);
    }

    @Test
    void acceptsWellFormedReadsAndWritesDataFirstOrAddressFirst() {
        ar(0x100, 2, 3);
        edge();
        r(false);
        edge();
        r(true);
        edge();
        w(false);           // data before its address
        edge();
        w(true);
        edge();
        aw(0x200, 2);
        edge();
        b();
        edge();
        aw(0x300, 1);
        w(true);            // address and data together
        edge();
        b();
        edge();
        assertThat(checker.quiet()).isTrue();
        assertThat(checker.responses()).isEqualTo(3);
        assertThat(checker.readBeats()).isEqualTo(2);
        assertThat(checker.writeBeats()).isEqualTo(3);
    }

    @Test
    void rejectsReadDataWithNoReadOutstanding() {
        r(true);
        assertThatThrownBy(this::edge).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("m_axi R: rvalid with no read outstanding").hasMessageContaining("cycle 0");
    }

    @Test
    void rejectsReadDataInTheCycleItsAddressIsTaken() {
        ar(0, 1, 3);
        r(true);
        assertThatThrownBy(this::edge).hasMessageContaining("rvalid with no read outstanding");
    }

    @Test
    void rejectsAnRlastBeforeTheLastBeatAndNoneOnIt() {
        ar(0, 3, 3);
        edge();
        r(true);
        assertThatThrownBy(this::edge).hasMessageContaining("m_axi R: rlast on beat 1 of a 3-beat burst");
        AxiProtocolChecker fresh = new AxiProtocolChecker(ports);
        set(AxiSignal.RVALID, 0);
        ar(0, 1, 3);
        fresh.sample(10);
        model.step(1);
        set(AxiSignal.ARVALID, 0);
        r(false);
        assertThatThrownBy(() -> fresh.sample(11)).hasMessageContaining("no rlast on the last beat of a 1-beat burst");
    }

    @Test
    void rejectsAWriteResponseBeforeTheLastDataBeat() {
        aw(0, 2);
        edge();
        w(false);
        edge();
        b();
        assertThatThrownBy(this::edge).hasMessageContaining("m_axi B: bvalid with no write whose address and last"
                + " data beat were taken before");
    }

    @Test
    void rejectsAWlastOnTheWrongBeatAndADataBurstOfAnotherLength() {
        aw(0, 4);
        edge();
        w(true);
        assertThatThrownBy(this::edge).hasMessageContaining("m_axi W: wlast on beat 1 of a 4-beat burst");
        AxiProtocolChecker fresh = new AxiProtocolChecker(ports);
        w(true);
        fresh.sample(20);
        model.step(1);
        set(AxiSignal.WVALID, 0);
        aw(0, 2);
        assertThatThrownBy(() -> fresh.sample(21)).hasMessageContaining("a 2-beat burst whose data came first with 1");
    }

    @Test
    void rejectsBurstsAxiForbids() {
        ar(0xFF8, 2, 3);
        assertThatThrownBy(this::edge).hasMessageContaining("crosses a 4 KiB boundary");
        ar(0, 1, 4);
        assertThatThrownBy(() -> new AxiProtocolChecker(ports).sample(0))
                .hasMessageContaining("size 4 (16 B) is wider than the 8-byte data bus");
        ar(0, 1, 3);
        set(AxiSignal.ARBURST, 3);
        assertThatThrownBy(() -> new AxiProtocolChecker(ports).sample(0)).hasMessageContaining("burst type 3 is reserved");
        ar(4, 4, 3);
        set(AxiSignal.ARBURST, 2);
        assertThatThrownBy(() -> new AxiProtocolChecker(ports).sample(0)).hasMessageContaining("WRAP needs");
    }

    @Test
    void rejectsExokayWithoutAnExclusiveAccess() {
        ar(0, 1, 3);
        edge();
        r(true);
        set(AxiSignal.RRESP, AxiResp.EXOKAY);
        assertThatThrownBy(this::edge).hasMessageContaining("EXOKAY without an exclusive access");
    }

    @Test
    void rejectsAValidDroppedAndAnAddressChangedWhileStalled() {
        set(AxiSignal.AWVALID, 1);
        set(AxiSignal.AWADDR, 0x40);
        checker.sample(0);
        model.step(1);
        set(AxiSignal.AWADDR, 0x48);
        assertThatThrownBy(() -> checker.sample(1)).hasMessageContaining("m_axi AW: m_axi_awaddr changed from 0x40 to 0x48");
        AxiProtocolChecker fresh = new AxiProtocolChecker(ports);
        set(AxiSignal.AWVALID, 1);
        fresh.sample(2);
        model.step(1);
        set(AxiSignal.AWVALID, 0);
        assertThatThrownBy(() -> fresh.sample(3)).hasMessageContaining("m_axi AW: valid dropped before the beat was taken");
    }
}
