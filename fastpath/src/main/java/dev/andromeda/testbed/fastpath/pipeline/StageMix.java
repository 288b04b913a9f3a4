package dev.andromeda.testbed.fastpath.pipeline;

import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which implementation runs each offloadable stage, and from what size on:
 * {@code checksum=rtl-ffm,copy=sw@1024,crypto=emu}. A stage not named runs
 * {@code sw}. {@code @N} is the stage's offload threshold: packets shorter than
 * N bytes stay in software (Andromeda 2.2 offloaded copies only above a size).
 *
 * <p>{@code port=<impl>} chooses the host's physical port: {@code sw} (the default) is the
 * in-memory wire itself; {@code emu}, {@code rtl-jni} or {@code rtl-ffm} put the emulated
 * NIC on that backend between the host and the wire (descriptor rings in host memory,
 * doorbells, DMA). {@code port=nic} means {@code port=emu}. {@code all=<impl>} sets every
 * stage (not the port), e.g. {@code all=emu,port=nic}.
 *
 * <p>{@code checksum=nic} hands the egress checksums (virtio NEEDS_CSUM) to that NIC, inline
 * on its way to the wire, instead of a look-aside block; {@code crypto=nic} hands it PSP's
 * seal (TX) and open (RX) the same way. Valid only with a NIC port.
 */
public final class StageMix {
    private final Map<Stage, String> impl = new EnumMap<>(Stage.class);
    private final Map<Stage, Integer> threshold = new EnumMap<>(Stage.class);
    /** The physical port's implementation: sw (the wire alone) or the NIC on a backend. */
    private String port = "sw";
    public static final String PORT = "port";
    /** The checksum or crypto stage's implementation that leaves the work to the NIC port. */
    public static final String NIC = "nic";

    private StageMix() {
        for (Stage s : Stage.values()) {
            impl.put(s, "sw");
            threshold.put(s, 0);
        }
    }

    /** Everything in software. */
    public static StageMix software() {
        return new StageMix();
    }

    /** Every stage on one implementation. */
    public static StageMix all(String implementation) {
        StageMix m = new StageMix();
        for (Stage s : Stage.values()) {
            m.impl.put(s, checkImpl(implementation, s.label()));
        }
        return m;
    }

    /**
     * Parses {@code stage=impl[@threshold],...}.
     *
     * @throws IllegalArgumentException naming the bad part and what is allowed
     */
    public static StageMix parse(String text) {
        StageMix m = new StageMix();
        if (text == null || text.isBlank()) {
            return m;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + p + "': expected stage=impl, e.g. checksum=rtl-ffm");
            }
            String key = p.substring(0, eq).trim();
            String rest = p.substring(eq + 1).trim();
            if (key.equals("all") && !rest.contains("@")) {
                for (Stage s : Stage.values()) {
                    m.impl.put(s, checkImpl(rest, s.label()));
                }
                continue;
            }
            if (key.equals(PORT)) {
                String name = rest.equals("nic") ? "emu" : rest;
                m.port = checkImpl(name, "the port (nic = emu)");
                continue;
            }
            Stage stage = stageNamed(key);
            int at = rest.indexOf('@');
            String name = at < 0 ? rest : rest.substring(0, at);
            m.impl.put(stage, stage != Stage.COPY && name.equals(NIC) ? NIC : checkImpl(name, stage.label()));
            if (at >= 0) {
                try {
                    int n = Integer.parseInt(rest.substring(at + 1));
                    if (n < 0) {
                        throw new NumberFormatException();
                    }
                    m.threshold.put(stage, n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + p + "': the threshold after @ must be a byte count >= 0");
                }
            }
        }
        for (Stage s : new Stage[] {Stage.CHECKSUM, Stage.CRYPTO}) {
            if (m.impl.get(s).equals(NIC) && m.port.equals("sw")) {
                throw new IllegalArgumentException(s.label() + "=nic needs the NIC as the port: add port=emu,"
                        + " rtl-jni or rtl-ffm");
            }
        }
        return m;
    }

    private static Stage stageNamed(String name) {
        for (Stage s : Stage.values()) {
            if (s.label().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no stage '" + name + "'; stages: checksum, copy, crypto, port");
    }

    private static String checkImpl(String name, String stage) {
        if (!Offloads.IMPLEMENTATIONS.contains(name)) {
            throw new IllegalArgumentException("no implementation '" + name + "' for " + stage + "; implementations: "
                    + Offloads.IMPLEMENTATIONS);
        }
        return name;
    }

    public String implementation(Stage s) {
        return impl.get(s);
    }

    /** The physical port: {@code sw} for the wire alone, else the backend the emulated NIC runs on. */
    public String port() {
        return port;
    }

    /** Packets shorter than this stay in software. */
    public int threshold(Stage s) {
        return threshold.get(s);
    }

    /**
     * A short name for charts and narrow tables: {@code all sw}, {@code all rtl-ffm}
     * when every stage runs one implementation (no thresholds), otherwise only the
     * stages not in plain software, e.g. {@code copy=rtl-ffm@1024}; {@code checksum=nic} and
     * {@code crypto=nic} show as {@code +csum} and {@code +psp} on the port ({@code port=rtl-ffm+csum}).
     */
    public String shortName() {
        String first = impl.get(Stage.values()[0]);
        boolean uniform = impl.values().stream().allMatch(first::equals)
                && threshold.values().stream().allMatch(t -> t == 0);
        boolean nicCsum = impl.get(Stage.CHECKSUM).equals(NIC) && threshold.get(Stage.CHECKSUM) == 0;
        boolean nicPsp = impl.get(Stage.CRYPTO).equals(NIC) && threshold.get(Stage.CRYPTO) == 0;
        String portPart = port.equals("sw") ? "" : "port=" + port + (nicCsum ? "+csum" : "") + (nicPsp ? "+psp" : "");
        if (uniform && first.equals("sw") && !portPart.isEmpty()) {
            return portPart;
        }
        if (uniform) {
            return "all " + first + (portPart.isEmpty() ? "" : "," + portPart);
        }
        StringBuilder b = new StringBuilder();
        for (Stage s : Stage.values()) {
            if (impl.get(s).equals("sw") && threshold.get(s) == 0 || s == Stage.CHECKSUM && nicCsum
                    || s == Stage.CRYPTO && nicPsp) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(s.label()).append('=').append(impl.get(s));
            if (threshold.get(s) > 0) {
                b.append('@').append(threshold.get(s));
            }
        }
        if (!portPart.isEmpty()) {
            b.append(b.isEmpty() ? "" : ",").append(portPart);
        }
        return b.toString();
    }

    /**
     * The canonical text, e.g. {@code checksum=sw,copy=rtl-ffm@1024,crypto=sw}; a port other
     * than sw is appended ({@code ,port=emu}).
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Stage s : Stage.values()) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(s.label()).append('=').append(impl.get(s));
            if (threshold.get(s) > 0) {
                b.append('@').append(threshold.get(s));
            }
        }
        if (!port.equals("sw")) {
            b.append(",port=").append(port);
        }
        return b.toString();
    }
}
