package dev.andromeda.testbed.hw.driver;

/**
 * The signals of an AXI4 (or AXI4-Lite) interface, channel by channel: write address
 * (AW), write data (W), write response (B), read address (AR), read data (R).
 * {@code ARBEATS}/{@code AWBEATS} are not AXI's: a burst length as a beat count, for
 * interfaces that carry it so ({@link AxiPortMap}).
 */
public enum AxiSignal {
    AWID, AWADDR, AWLEN, AWBEATS, AWSIZE, AWBURST, AWPROT, AWVALID, AWREADY,
    WDATA, WSTRB, WLAST, WVALID, WREADY,
    BID, BRESP, BVALID, BREADY,
    ARID, ARADDR, ARLEN, ARBEATS, ARSIZE, ARBURST, ARPROT, ARVALID, ARREADY,
    RID, RDATA, RRESP, RLAST, RVALID, RREADY;

    /** The standard port suffix, e.g. {@code awaddr}. */
    public String axiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
