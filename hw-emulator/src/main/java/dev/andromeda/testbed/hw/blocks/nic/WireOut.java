package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.BusAgent;

/**
 * The NIC's wire out ({@code m_axis}) into a callback, for a NIC that runs for long: always
 * ready, frames assembled into one reused buffer and handed over at {@code tlast} -- no
 * per-frame allocation and no growing list (the test sink keeps every frame).
 */
public final class WireOut implements BusAgent {
    /** Takes a frame; {@code bytes} is reused after the call returns. */
    public interface Handler {
        void frame(byte[] bytes, int length, boolean error);
    }

    private final HardwareModel model;
    private final int tdata;
    private final int tkeep;
    private final int tvalid;
    private final int tready;
    private final int tlast;
    private final int tuser;
    private final Handler handler;
    private final byte[] buffer = new byte[NicLayout.MAX_FRAME + 64];
    private int length;
    private boolean overflow;

    WireOut(HardwareModel model, Handler handler) {
        this.model = model;
        this.handler = handler;
        tdata = model.port("m_axis_tdata");
        tkeep = model.port("m_axis_tkeep");
        tvalid = model.port("m_axis_tvalid");
        tready = model.port("m_axis_tready");
        tlast = model.port("m_axis_tlast");
        tuser = model.port("m_axis_tuser");
    }

    @Override
    public void beforeEdge(long cycle) {
        model.set(tready, 1);
    }

    @Override
    public void sample(long cycle) {
        if (model.get(tvalid) == 0) {
            return;
        }
        long data = model.get(tdata);
        long keep = model.get(tkeep);
        for (int i = 0; i < 8; i++) {
            if ((keep >>> i & 1) != 0) {
                if (length < buffer.length) {
                    buffer[length++] = (byte) (data >>> (8 * i));
                } else {
                    overflow = true;
                }
            }
        }
        if (model.get(tlast) != 0) {
            handler.frame(buffer, length, overflow || model.get(tuser) != 0);
            length = 0;
            overflow = false;
        }
    }
}
