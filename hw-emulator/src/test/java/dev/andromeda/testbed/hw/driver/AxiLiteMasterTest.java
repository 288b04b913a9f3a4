package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.kit.KitModel;
import dev.andromeda.testbed.hw.kit.Module;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AXI4-Lite master against a slave whose every signal the test drives (the register file is in examples/axil_regs). */
class AxiLiteMasterTest {

    /** An AXI4-Lite slave port, 32-bit data: plain inputs, the test plays the slave. */
    static final class Wires extends Module {
        Wires() {
            super("wires");
            for (String n : new String[] {"awvalid", "awready", "wvalid", "wready", "bvalid", "bready", "arvalid",
                    "arready", "rvalid", "rready"}) {
                input("s_axil_" + n, 1);
            }
            input("s_axil_awaddr", 8);
            input("s_axil_araddr", 8);
            input("s_axil_wdata", 32);
            input("s_axil_wstrb", 4);
            input("s_axil_rdata", 32);
            input("s_axil_bresp", 2);
            input("s_axil_rresp", 2);
        }

        @Override
        protected void nextState() {
        }

        @Override
        protected void drive() {
        }
    }

    private final KitModel model = new KitModel(new Wires());
    private final AxiPorts ports = AxiPorts.bind(model, "s_axil");
    private final Testbench tb = new Testbench(model);
    private final AxiLiteMaster master = new AxiLiteMaster(ports, 1, 0, 0, tb::cycle).timeout(20);

    AxiLiteMasterTest() {
        tb.add(master);
    }

    @Test
    void aWriteWhoseResponseNeverComesFailsNamingBAndTheCycle() {
        ports.set(AxiSignal.AWREADY, 1);
        ports.set(AxiSignal.WREADY, 1);
        assertThatThrownBy(() -> master.write(0x10, 7)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("s_axil B: no write response after address and data were taken for 20 cycles,"
                        + " since cycle 1 (write 0x7 to 0x10");
    }

    @Test
    void aReadWhoseAddressIsNeverTakenFailsNamingAr() {
        assertThatThrownBy(() -> master.read(0x4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("s_axil AR: arvalid high without arready for 20 cycles, since cycle 0");
    }

    @Test
    void aResponseNobodyAskedForIsAViolation() {
        ports.set(AxiSignal.BVALID, 1);
        assertThatThrownBy(tb::cycle).isInstanceOf(ProtocolViolation.class)
                .hasMessageContaining("s_axil B: write response with no write");
    }

    @Test
    void aReadAnsweredDecerrRaisesWithTheCodeAndAnOkayOneReturnsTheData() {
        ports.set(AxiSignal.ARREADY, 1);
        // The slave: read data the cycle after the address, DECERR for 0x40, 0xCAFE otherwise.
        tb.add(new BusAgent() {
            long answerAt = -1;
            long addr;

            @Override
            public void beforeEdge(long cycle) {
                ports.set(AxiSignal.RVALID, cycle == answerAt ? 1 : 0);
                ports.set(AxiSignal.RRESP, addr == 0x40 ? AxiResp.DECERR : AxiResp.OKAY);
                ports.set(AxiSignal.RDATA, 0xCAFE);
                if (ports.high(AxiSignal.ARVALID)) {
                    addr = ports.get(AxiSignal.ARADDR, 0);
                    answerAt = cycle + 1;
                }
            }
        });
        assertThat(master.read(0x8)).isEqualTo(0xCAFE);
        AxiResponseError e = org.junit.jupiter.api.Assertions.assertThrows(AxiResponseError.class,
                () -> master.read(0x40));
        assertThat(e.resp()).isEqualTo(AxiResp.DECERR);
        assertThat(e).hasMessageContaining("s_axil: read of 0x40 answered DECERR (3) at cycle");
        assertThat(master.errors()).isEqualTo(1);
    }

    @Test
    void refusesAValueOrAnAddressThePortCannotCarry() {
        assertThatThrownBy(() -> master.postWrite(0, 1L << 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value 0x100000000 does not fit 32 data bits");
        assertThatThrownBy(() -> master.postRead(0x100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address 0x100 does not fit 8 address bits");
    }
}
