package dev.andromeda.testbed.hw.driver;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which port of a model plays which AXI4 signal: the standard names under a prefix
 * ({@code <prefix>_araddr}, ... used where present), or any other names one by one, so
 * that an interface that is AXI4 in all but name (the DMA block's {@code m_rd}/{@code s_rdata}/
 * {@code m_wr}/{@code s_wresp}) is served and checked by the same agents.
 *
 * <p>A port {@link #set} by hand must exist; one from {@link #standard} is used only when the
 * model has it. Two conventions beyond AXI's names: a burst length may be given as a beat
 * count ({@link AxiSignal#ARBEATS}, {@link AxiSignal#AWBEATS}) instead of {@code AxLEN}
 * (beats - 1), and a write channel whose address and data move in one handshake (AW and W on
 * the same valid port) is a <em>fused</em> write: every beat is a one-beat write with its own
 * address.
 */
public final class AxiPortMap {
    private final String name;
    private final Map<AxiSignal, String> ports = new EnumMap<>(AxiSignal.class);
    private final Map<AxiSignal, Boolean> required = new EnumMap<>(AxiSignal.class);

    private AxiPortMap(String name) {
        this.name = name;
    }

    /** Every AXI4 / AXI4-Lite signal under its standard name, {@code <prefix>_<signal>} (or {@code <prefix><signal>} when the prefix ends with '_'). */
    public static AxiPortMap standard(String prefix) {
        String p = prefix.isEmpty() || prefix.endsWith("_") ? prefix : prefix + "_";
        AxiPortMap m = new AxiPortMap(prefix);
        for (AxiSignal s : AxiSignal.values()) {
            if (s != AxiSignal.ARBEATS && s != AxiSignal.AWBEATS) {
                m.ports.put(s, p + s.axiName());
                m.required.put(s, false);
            }
        }
        return m;
    }

    /** An empty map, to fill with {@link #set}. */
    public static AxiPortMap named(String name) {
        return new AxiPortMap(name);
    }

    /**
     * The memory master port of the DMA copy block ({@code rtl/dma_copy}): read bursts on
     * {@code m_rd} (address, beat count), their data on {@code s_rdata} (data, resp, last), fused
     * one-beat writes on {@code m_wr} (address, data, strobes), responses on {@code s_wresp}.
     */
    public static AxiPortMap dmaCopy() {
        return named("dma memory")
                .set(AxiSignal.ARVALID, "m_rd_valid").set(AxiSignal.ARREADY, "m_rd_ready")
                .set(AxiSignal.ARADDR, "m_rd_addr").set(AxiSignal.ARBEATS, "m_rd_beats")
                .set(AxiSignal.RVALID, "s_rdata_valid").set(AxiSignal.RREADY, "s_rdata_ready")
                .set(AxiSignal.RDATA, "s_rdata_data").set(AxiSignal.RRESP, "s_rdata_resp")
                .set(AxiSignal.RLAST, "s_rdata_last")
                .set(AxiSignal.AWVALID, "m_wr_valid").set(AxiSignal.AWREADY, "m_wr_ready")
                .set(AxiSignal.AWADDR, "m_wr_addr")
                .set(AxiSignal.WVALID, "m_wr_valid").set(AxiSignal.WREADY, "m_wr_ready")
                .set(AxiSignal.WDATA, "m_wr_data").set(AxiSignal.WSTRB, "m_wr_strb")
                .set(AxiSignal.BVALID, "s_wresp_valid").set(AxiSignal.BREADY, "s_wresp_ready")
                .set(AxiSignal.BRESP, "s_wresp_resp");
    }

    /** Plays {@code signal} on {@code port}, which must exist. */
    public AxiPortMap set(AxiSignal signal, String port) {
        ports.put(signal, port);
        required.put(signal, true);
        return this;
    }

    /** Leaves {@code signal} unconnected (the agents use its default). */
    public AxiPortMap without(AxiSignal signal) {
        ports.remove(signal);
        required.remove(signal);
        return this;
    }

    /** The port for {@code signal}, or null. */
    public String port(AxiSignal signal) {
        return ports.get(signal);
    }

    /** Whether the port must exist (set by hand) rather than be used where present. */
    public boolean required(AxiSignal signal) {
        return required.getOrDefault(signal, false);
    }

    /** The interface's name in messages: the prefix, or the name given. */
    public String name() {
        return name;
    }
}
