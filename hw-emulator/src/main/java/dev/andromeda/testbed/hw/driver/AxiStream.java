package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AXI4-Stream interface of a model, bound by its port prefix: {@code <prefix>_tdata} and
 * {@code <prefix>_tvalid} are required; {@code tready}, {@code tkeep}, {@code tlast},
 * {@code tuser}, {@code tid}, {@code tdest} are used where present. {@code tdata} is a whole
 * number of bytes, of any width (wider than 64 bits through wide ports); byte 0 of a frame
 * is lane 0, {@code tdata[7:0]}.
 *
 * <p>Its {@link #channel()} lists the fields present in this order: tdata, then tkeep,
 * tlast, tuser, tid, tdest as present; the {@code *Field} indexes say where each is (-1:
 * absent).
 *
 * @param prefix    the port prefix, e.g. {@code s_axis}
 * @param direction {@link PortDirection#IN}: the model receives (a source drives it);
 *                  {@link PortDirection#OUT}: the model sends (a sink takes it)
 * @param dataBytes bytes a beat carries
 */
public record AxiStream(String prefix, PortDirection direction, int dataBytes, Channel channel,
                        int keepField, int lastField, int userField, int idField, int destField) {

    /**
     * Binds the interface with this prefix.
     *
     * @throws IllegalArgumentException naming the missing or malformed port, and the model's interfaces
     */
    public static AxiStream bind(HardwareModel model, String prefix) {
        Map<String, PortInfo> ports = new LinkedHashMap<>();
        for (PortInfo p : model.ports()) {
            ports.put(p.name(), p);
        }
        PortInfo data = ports.get(prefix + "_tdata");
        PortInfo valid = ports.get(prefix + "_tvalid");
        if (data == null || valid == null) {
            throw new IllegalArgumentException(model.block() + " has no AXI-stream '" + prefix + "' (" + prefix
                    + "_tdata and " + prefix + "_tvalid); its streams: " + names(model));
        }
        PortDirection dir = data.direction();
        if (data.width() % 8 != 0) {
            throw new IllegalArgumentException(prefix + "_tdata is " + data.width()
                    + " bits wide, not a whole number of bytes");
        }
        int bytes = data.width() / 8;
        List<String> fields = new ArrayList<>(List.of(data.name()));
        int keep = optional(ports, prefix + "_tkeep", dir, fields);
        int last = optional(ports, prefix + "_tlast", dir, fields);
        int user = optional(ports, prefix + "_tuser", dir, fields);
        int id = optional(ports, prefix + "_tid", dir, fields);
        int dest = optional(ports, prefix + "_tdest", dir, fields);
        if (keep >= 0 && ports.get(prefix + "_tkeep").width() != bytes) {
            throw new IllegalArgumentException(prefix + "_tkeep is " + ports.get(prefix + "_tkeep").width()
                    + " bits wide; tdata has " + bytes + " bytes");
        }
        for (String side : List.of("_tuser", "_tid", "_tdest")) {
            PortInfo p = ports.get(prefix + side);
            if (p != null && p.width() > 64) {
                throw new IllegalArgumentException(prefix + side + " is " + p.width() + " bits wide; at most 64");
            }
        }
        PortInfo ready = ports.get(prefix + "_tready");
        Channel channel = Channel.of(model, prefix, valid.name(), ready == null ? null : ready.name(),
                fields.toArray(new String[0]));
        return new AxiStream(prefix, dir, bytes, channel, keep, last, user, id, dest);
    }

    private static int optional(Map<String, PortInfo> ports, String name, PortDirection dir, List<String> fields) {
        PortInfo p = ports.get(name);
        if (p == null || p.direction() != dir) {
            return -1;
        }
        fields.add(name);
        return fields.size() - 1;
    }

    /** Every AXI-stream interface of the model (a {@code <prefix>_tdata} with a {@code <prefix>_tvalid}), by port order. */
    public static List<AxiStream> find(HardwareModel model) {
        List<AxiStream> found = new ArrayList<>();
        for (String prefix : prefixes(model)) {
            found.add(bind(model, prefix));
        }
        return found;
    }

    private static List<String> prefixes(HardwareModel model) {
        List<String> names = model.ports().stream().map(PortInfo::name).toList();
        List<String> prefixes = new ArrayList<>();
        for (String n : names) {
            if (n.endsWith("_tdata")) {
                String prefix = n.substring(0, n.length() - "_tdata".length());
                if (names.contains(prefix + "_tvalid")) {
                    prefixes.add(prefix);
                }
            }
        }
        return prefixes;
    }

    private static String names(HardwareModel model) {
        List<String> p = prefixes(model);
        return p.isEmpty() ? "none" : String.join(", ", p);
    }

    /** Whether the model receives on it. */
    public boolean isInput() {
        return direction == PortDirection.IN;
    }

    /** Whether it has a ready port (without one, the receiver takes every valid beat). */
    public boolean hasReady() {
        return channel.ready() >= 0;
    }

    /** A checker of the AXI-stream rules on this interface (valid held, payload stable, tkeep contiguous). */
    public StreamProtocolChecker checker(HardwareModel model) {
        return new StreamProtocolChecker(model, channel, keepField, lastField);
    }

    /** The word a field starts at in a beat of the channel. */
    int at(int field) {
        return channel.offset(field);
    }

    @Override
    public String toString() {
        return prefix + " (" + (isInput() ? "in" : "out") + ", " + dataBytes + " B/beat" + (keepField >= 0 ? ", tkeep" : "")
                + (lastField >= 0 ? ", tlast" : "") + (userField >= 0 ? ", tuser" : "") + (idField >= 0 ? ", tid" : "")
                + (destField >= 0 ? ", tdest" : "") + (hasReady() ? "" : ", no tready") + ")";
    }
}
