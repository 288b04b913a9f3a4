package dev.andromeda.testbed.hw.driver;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One AXI-stream frame (packet): its bytes, byte 0 in lane 0 ({@code tdata[7:0]}) of the
 * first beat, and the sideband fields that go with it where the interface has the ports
 * ({@code tuser}, {@code tid}, {@code tdest}; 0 otherwise). A frame received from a model
 * also says at which cycles its first and last beats moved (-1 for a frame to send).
 *
 * @param user       tuser: driven on every beat of a frame sent; of the last beat, received
 * @param id         tid (constant over a frame, as AXI4-Stream requires)
 * @param dest       tdest (constant over a frame)
 * @param firstCycle the cycle whose rising edge took the first beat, or -1
 * @param lastCycle  the cycle whose rising edge took the last beat, or -1
 */
public record AxiFrame(byte[] data, long user, long id, long dest, long firstCycle, long lastCycle) {

    public AxiFrame {
        data = data.clone();
    }

    /** A frame to send with no sideband fields. */
    public static AxiFrame of(byte[] data) {
        return new AxiFrame(data, 0, 0, 0, -1, -1);
    }

    /** A frame to send with sideband fields. */
    public static AxiFrame of(byte[] data, long user, long id, long dest) {
        return new AxiFrame(data, user, id, dest, -1, -1);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AxiFrame f && Arrays.equals(data, f.data) && user == f.user && id == f.id
                && dest == f.dest && firstCycle == f.firstCycle && lastCycle == f.lastCycle;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + Long.hashCode(user ^ id ^ dest);
    }

    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(data, 0, Math.min(data.length, 32));
        return "AxiFrame[" + data.length + " B " + hex + (data.length > 32 ? "..." : "")
                + (user != 0 ? " user=" + user : "") + (id != 0 ? " id=" + id : "") + (dest != 0 ? " dest=" + dest : "")
                + (firstCycle >= 0 ? " cycles " + firstCycle + ".." + lastCycle : "") + "]";
    }
}
