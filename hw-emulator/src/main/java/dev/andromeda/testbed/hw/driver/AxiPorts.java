package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An AXI4 or AXI4-Lite interface of a model, its ports looked up once through an
 * {@link AxiPortMap}. It has a read side (AR, R) when the map's {@code arvalid} exists, a
 * write side (AW, W, B) when {@code awvalid} does, and is Lite when it carries no burst
 * length. The model is the master when its {@code arvalid}/{@code awvalid} is an output
 * (then the testbench is the memory), the slave otherwise (then the testbench is the master).
 *
 * <p>Required per side: {@code arvalid, arready, araddr, rvalid, rready, rdata};
 * {@code awvalid, awready, awaddr, wvalid, wready, wdata, bvalid, bready}. Everything else is
 * used where present: an absent {@code xRESP} reads OKAY, an absent {@code AxSIZE} is the data
 * width, an absent {@code AxBURST} is INCR, an absent {@code WSTRB} strobes every byte.
 */
public final class AxiPorts {
    private static final AxiSignal[] READ_REQUIRED = {AxiSignal.ARVALID, AxiSignal.ARREADY, AxiSignal.ARADDR,
            AxiSignal.RVALID, AxiSignal.RREADY, AxiSignal.RDATA};
    private static final AxiSignal[] WRITE_REQUIRED = {AxiSignal.AWVALID, AxiSignal.AWREADY, AxiSignal.AWADDR,
            AxiSignal.WVALID, AxiSignal.WREADY, AxiSignal.WDATA, AxiSignal.BVALID, AxiSignal.BREADY};

    private final HardwareModel model;
    private final String name;
    private final int[] handle = new int[AxiSignal.values().length];
    private final int[] width = new int[AxiSignal.values().length];
    private final boolean modelIsMaster;
    private final boolean reads;
    private final boolean writes;
    private final int dataBytes;

    private AxiPorts(HardwareModel model, AxiPortMap map) {
        this.model = model;
        this.name = map.name();
        Map<String, PortInfo> ports = new HashMap<>();
        for (PortInfo p : model.ports()) {
            ports.put(p.name(), p);
        }
        Arrays.fill(handle, -1);
        for (AxiSignal s : AxiSignal.values()) {
            String port = map.port(s);
            PortInfo p = port == null ? null : ports.get(port);
            if (p == null && port != null && map.required(s)) {
                throw new IllegalArgumentException(model.block() + " has no port '" + port + "' (" + s.axiName()
                        + " of " + name + ")");
            }
            if (p != null) {
                handle[s.ordinal()] = p.handle();
                width[s.ordinal()] = p.width();
            }
        }
        reads = has(AxiSignal.ARVALID);
        writes = has(AxiSignal.AWVALID);
        if (!reads && !writes) {
            throw new IllegalArgumentException(model.block() + " has no AXI4 interface '" + name + "' (no "
                    + map.port(AxiSignal.ARVALID) + " nor " + map.port(AxiSignal.AWVALID) + "); its AXI4 prefixes: "
                    + prefixes(model));
        }
        List<String> missing = new ArrayList<>();
        for (AxiSignal s : reads ? READ_REQUIRED : new AxiSignal[0]) {
            if (!has(s)) {
                missing.add(map.port(s) == null ? s.axiName() : map.port(s));
            }
        }
        for (AxiSignal s : writes ? WRITE_REQUIRED : new AxiSignal[0]) {
            if (!has(s)) {
                missing.add(map.port(s) == null ? s.axiName() : map.port(s));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(model.block() + ": AXI4 interface '" + name + "' lacks " + missing);
        }
        AxiSignal valid = reads ? AxiSignal.ARVALID : AxiSignal.AWVALID;
        modelIsMaster = ports.get(map.port(valid)).direction() == PortDirection.OUT;
        int bits = width(reads ? AxiSignal.RDATA : AxiSignal.WDATA);
        if (bits % 8 != 0 || bits == 0) {
            throw new IllegalArgumentException(name + ": data is " + bits + " bits wide, not a whole number of bytes");
        }
        if (reads && writes && width(AxiSignal.RDATA) != width(AxiSignal.WDATA)) {
            throw new IllegalArgumentException(name + ": rdata is " + width(AxiSignal.RDATA) + " bits, wdata "
                    + width(AxiSignal.WDATA));
        }
        dataBytes = bits / 8;
        if (has(AxiSignal.WSTRB) && width(AxiSignal.WSTRB) != dataBytes) {
            throw new IllegalArgumentException(name + ": wstrb is " + width(AxiSignal.WSTRB) + " bits for "
                    + dataBytes + " data bytes");
        }
        if (dataBytes > 64) {
            throw new IllegalArgumentException(name + ": data is " + bits + " bits wide; at most 512 (a 64-bit wstrb)");
        }
    }

    /** Binds the standard names under {@code prefix}, e.g. {@code s_axil} for {@code s_axil_awaddr}. */
    public static AxiPorts bind(HardwareModel model, String prefix) {
        return new AxiPorts(model, AxiPortMap.standard(prefix));
    }

    /** Binds the ports a map names. */
    public static AxiPorts bind(HardwareModel model, AxiPortMap map) {
        return new AxiPorts(model, map);
    }

    /** Prefixes with a {@code _arvalid} or {@code _awvalid} port, for messages. */
    static String prefixes(HardwareModel model) {
        List<String> found = new ArrayList<>();
        for (PortInfo p : model.ports()) {
            for (String suffix : List.of("_arvalid", "_awvalid")) {
                String prefix = p.name().endsWith(suffix) ? p.name().substring(0, p.name().length() - 8) : null;
                if (prefix != null && !found.contains(prefix)) {
                    found.add(prefix);
                }
            }
        }
        return found.isEmpty() ? "none" : String.join(", ", found);
    }

    public HardwareModel model() {
        return model;
    }

    public String name() {
        return name;
    }

    public boolean has(AxiSignal s) {
        return handle[s.ordinal()] >= 0;
    }

    /** The port handle, or -1. */
    public int handle(AxiSignal s) {
        return handle[s.ordinal()];
    }

    public int width(AxiSignal s) {
        return width[s.ordinal()];
    }

    /** The port's value; {@code absent} when the port is not there. */
    public long get(AxiSignal s, long absent) {
        int h = handle[s.ordinal()];
        return h < 0 ? absent : model.get(h);
    }

    public boolean high(AxiSignal s) {
        return model.get(handle[s.ordinal()]) != 0;
    }

    /** Drives the port when it is there. */
    public void set(AxiSignal s, long value) {
        int h = handle[s.ordinal()];
        if (h >= 0) {
            model.set(h, value);
        }
    }

    /** Whether the model drives AR/AW (it is the master) rather than takes them. */
    public boolean modelIsMaster() {
        return modelIsMaster;
    }

    public boolean hasReads() {
        return reads;
    }

    public boolean hasWrites() {
        return writes;
    }

    /** Without a burst length on either side: AXI4-Lite (one beat a transfer). */
    public boolean isLite() {
        return !has(AxiSignal.ARLEN) && !has(AxiSignal.ARBEATS) && !has(AxiSignal.AWLEN) && !has(AxiSignal.AWBEATS);
    }

    /** Whether address and data of a write move in one handshake (AW and W on one valid port). */
    public boolean fusedWrite() {
        return writes && handle(AxiSignal.AWVALID) == handle(AxiSignal.WVALID);
    }

    /** Bytes of a data beat. */
    public int dataBytes() {
        return dataBytes;
    }

    /** 64-bit words of a data beat. */
    public int dataWords() {
        return (dataBytes + 7) / 8;
    }

    /** Reads a data port into {@code words} (one word for up to 64 bits). */
    public void getData(AxiSignal s, long[] words) {
        if (dataBytes <= 8) {
            words[0] = model.get(handle(s));
        } else {
            model.getWide(handle(s), words);
        }
    }

    /** Drives a data port from {@code words}. */
    public void setData(AxiSignal s, long[] words) {
        if (dataBytes <= 8) {
            model.set(handle(s), words[0]);
        } else {
            model.setWide(handle(s), words);
        }
    }

    /**
     * The valid/ready channel of AW, W, B, AR or R ({@code "aw"} ...): its handshake and the
     * payload ports present, for {@link StreamProtocolChecker} (held valid, stable payload).
     * A fused write's W is its AW.
     */
    public Channel channel(String which) {
        AxiSignal[] sig = switch (which) {
            case "aw" -> new AxiSignal[] {AxiSignal.AWVALID, AxiSignal.AWREADY, AxiSignal.AWID, AxiSignal.AWADDR,
                    AxiSignal.AWLEN, AxiSignal.AWBEATS, AxiSignal.AWSIZE, AxiSignal.AWBURST, AxiSignal.AWPROT,
                    AxiSignal.WDATA, AxiSignal.WSTRB};
            case "w" -> new AxiSignal[] {AxiSignal.WVALID, AxiSignal.WREADY, AxiSignal.WDATA, AxiSignal.WSTRB,
                    AxiSignal.WLAST};
            case "b" -> new AxiSignal[] {AxiSignal.BVALID, AxiSignal.BREADY, AxiSignal.BID, AxiSignal.BRESP};
            case "ar" -> new AxiSignal[] {AxiSignal.ARVALID, AxiSignal.ARREADY, AxiSignal.ARID, AxiSignal.ARADDR,
                    AxiSignal.ARLEN, AxiSignal.ARBEATS, AxiSignal.ARSIZE, AxiSignal.ARBURST, AxiSignal.ARPROT};
            case "r" -> new AxiSignal[] {AxiSignal.RVALID, AxiSignal.RREADY, AxiSignal.RID, AxiSignal.RDATA,
                    AxiSignal.RRESP, AxiSignal.RLAST};
            default -> throw new IllegalArgumentException("no AXI4 channel '" + which + "': aw, w, b, ar or r");
        };
        List<String> fields = new ArrayList<>();
        for (int i = 2; i < sig.length; i++) {
            boolean wOnAw = which.equals("aw") && (sig[i] == AxiSignal.WDATA || sig[i] == AxiSignal.WSTRB);
            if (has(sig[i]) && (!wOnAw || fusedWrite())) {
                fields.add(portName(sig[i]));
            }
        }
        return Channel.of(model, name + " " + which.toUpperCase(java.util.Locale.ROOT), portName(sig[0]),
                portName(sig[1]), fields.toArray(new String[0]));
    }

    /** The channels present: AR and R, AW, W (unless fused into AW) and B. */
    public List<Channel> channels() {
        List<Channel> c = new ArrayList<>();
        if (writes) {
            c.add(channel("aw"));
            if (!fusedWrite()) {
                c.add(channel("w"));
            }
            c.add(channel("b"));
        }
        if (reads) {
            c.add(channel("ar"));
            c.add(channel("r"));
        }
        return c;
    }

    /** The model's port name playing {@code s}. */
    public String portName(AxiSignal s) {
        int h = handle(s);
        for (PortInfo p : model.ports()) {
            if (p.handle() == h) {
                return p.name();
            }
        }
        return s.axiName();
    }

    @Override
    public String toString() {
        return name + " (AXI4" + (isLite() ? "-Lite" : "") + ", " + dataBytes + " B/beat, model is "
                + (modelIsMaster ? "master" : "slave") + (reads ? ", reads" : "") + (writes ? ", writes" : "") + ")";
    }
}
