package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

import java.util.Arrays;

/**
 * A valid/ready channel of a model: the two handshake ports and the payload
 * ports that move with them (for AXI-stream: tdata, tkeep, tlast, ...).
 * A beat moves at a rising edge where valid and ready are both high.
 */
public record Channel(String name, int valid, int ready, int[] fields, String[] fieldNames) {

    /**
     * Looks the ports up on a model.
     *
     * @param valid  name of the valid port
     * @param ready  name of the ready port
     * @param fields names of the payload ports, in the order beats list them
     */
    public static Channel of(HardwareModel model, String name, String valid, String ready, String... fields) {
        int[] handles = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            handles[i] = model.port(fields[i]);
        }
        return new Channel(name, model.port(valid), model.port(ready), handles, fields.clone());
    }

    /** An AXI-stream channel with the usual port names under a prefix, e.g. {@code s_axis}. */
    public static Channel axiStream(HardwareModel model, String prefix) {
        return of(model, prefix, prefix + "_tvalid", prefix + "_tready",
                prefix + "_tdata", prefix + "_tkeep", prefix + "_tlast");
    }

    public int width() {
        return fields.length;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(fieldNames);
    }
}
