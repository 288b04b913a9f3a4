package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.BusAgent;

import java.util.ArrayDeque;

/**
 * An AXI4-Lite master for the NIC's {@code s_axil_*} register port: register writes and
 * reads, one at a time, in the order asked. A write offers address and data together and
 * holds each until taken, then takes the response; a read holds the address until taken,
 * then takes the data. NIC-local glue: rtl-testkit is getting a general one (branch kit).
 */
public final class AxiLiteMaster implements BusAgent {
    private final HardwareModel model;
    private final int awvalid, awready, awaddr, wvalid, wready, wdata, wstrb, bvalid, bready, bresp;
    private final int arvalid, arready, araddr, rvalid, rready, rdata, rresp;
    /** Pending operations: {write?1:0, address, data}. */
    private final ArrayDeque<long[]> ops = new ArrayDeque<>();
    private long[] current;
    private boolean awDone;
    private boolean wDone;
    private boolean arDone;
    private long lastRead;
    private long completed;
    private long errors;
    // What fires at the coming edge (sampled after every agent has driven).
    private boolean awFire, wFire, bFire, arFire, rFire;

    public AxiLiteMaster(HardwareModel model) {
        this.model = model;
        awvalid = model.port("s_axil_awvalid");
        awready = model.port("s_axil_awready");
        awaddr = model.port("s_axil_awaddr");
        wvalid = model.port("s_axil_wvalid");
        wready = model.port("s_axil_wready");
        wdata = model.port("s_axil_wdata");
        wstrb = model.port("s_axil_wstrb");
        bvalid = model.port("s_axil_bvalid");
        bready = model.port("s_axil_bready");
        bresp = model.port("s_axil_bresp");
        arvalid = model.port("s_axil_arvalid");
        arready = model.port("s_axil_arready");
        araddr = model.port("s_axil_araddr");
        rvalid = model.port("s_axil_rvalid");
        rready = model.port("s_axil_rready");
        rdata = model.port("s_axil_rdata");
        rresp = model.port("s_axil_rresp");
    }

    /** Queues a 32-bit register write. */
    public void write(int address, long value) {
        ops.add(new long[] {1, address, value & 0xFFFFFFFFL});
    }

    /** Queues a register read; its value is {@link #lastRead()} once {@link #idle()}. */
    public void read(int address) {
        ops.add(new long[] {0, address, 0});
    }

    /** Nothing queued or in progress. */
    public boolean idle() {
        return current == null && ops.isEmpty();
    }

    public long lastRead() {
        return lastRead;
    }

    /** Operations finished since construction. */
    public long completed() {
        return completed;
    }

    /** Responses other than OKAY. */
    public long errors() {
        return errors;
    }

    @Override
    public void beforeEdge(long cycle) {
        if (current == null && !ops.isEmpty()) {
            current = ops.poll();
            awDone = wDone = arDone = false;
        }
        boolean write = current != null && current[0] == 1;
        boolean read = current != null && current[0] == 0;
        model.set(awvalid, write && !awDone ? 1 : 0);
        model.set(awaddr, write ? current[1] : 0);
        model.set(wvalid, write && !wDone ? 1 : 0);
        model.set(wdata, write ? current[2] : 0);
        model.set(wstrb, 0xF);
        model.set(bready, write && awDone && wDone ? 1 : 0);
        model.set(arvalid, read && !arDone ? 1 : 0);
        model.set(araddr, read ? current[1] : 0);
        model.set(rready, read && arDone ? 1 : 0);
    }

    @Override
    public void sample(long cycle) {
        boolean write = current != null && current[0] == 1;
        boolean read = current != null && current[0] == 0;
        awFire = write && !awDone && model.get(awready) != 0;
        wFire = write && !wDone && model.get(wready) != 0;
        bFire = write && awDone && wDone && model.get(bvalid) != 0;
        arFire = read && !arDone && model.get(arready) != 0;
        rFire = read && arDone && model.get(rvalid) != 0;
        if (bFire && model.get(bresp) != 0) {
            errors++;
        }
        if (rFire) {
            lastRead = model.get(rdata);
            if (model.get(rresp) != 0) {
                errors++;
            }
        }
    }

    @Override
    public void afterEdge(long cycle) {
        awDone |= awFire;
        wDone |= wFire;
        arDone |= arFire;
        if (bFire || rFire) {
            current = null;
            completed++;
        }
    }
}
