package dev.andromeda.testbed.tb.scenario;

import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.tb.scenario.Scenario.ControlPlane;
import dev.andromeda.testbed.tb.scenario.Scenario.Network;
import dev.andromeda.testbed.tb.scenario.Scenario.Rule;
import dev.andromeda.testbed.tb.scenario.Scenario.Traffic;
import dev.andromeda.testbed.tb.scenario.Scenario.WeightedSize;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link Scenario} from YAML, strictly. A scenario file is written by
 * hand and a typo in it ({@code packts: 10}) would otherwise run the default
 * quietly and make the results lie, so every key is checked against the
 * schema, every value against its type and range, and every error names the
 * file, the line and the reason ({@code my.yaml:12: unknown key 'packts' ...}).
 * That is why the loader works on SnakeYAML's node tree ({@link Yaml#compose})
 * rather than on the maps and lists {@code Yaml.load} returns: nodes keep
 * their line numbers.
 *
 * <p>The schema, with the defaults of optional keys, is the commented
 * built-in scenario {@code /scenarios/default.yaml} ({@link #defaults()}).
 */
public final class ScenarioLoader {
    private static final String DEFAULT_RESOURCE = "/scenarios/default.yaml";
    private static final int NO_LIMIT = Integer.MAX_VALUE;

    private static final List<String> TOP_KEYS = List.of("name", "seed", "clockMHz", "hosts", "hoverboards",
            "vmsPerHost", "controlPlane", "networks", "traffic", "mixes", "dataplane");
    /** {@code dataplane:} a rung of the version ladder by name, as {@code tb demo --ladder} takes it. */
    private static final List<String> DATAPLANES = java.util.Arrays.stream(LadderRung.values())
            .map(r -> "ladder-" + r.label()).toList();
    private static final List<String> CONTROL_KEYS = List.of("model", "offloadThresholdBps", "intervals",
            "intervalSeconds", "idleIntervals");
    private static final List<String> NETWORK_KEYS = List.of("name", "vni", "prefix", "psp", "firewall");
    private static final List<String> RULE_KEYS = List.of("protocol", "from", "ports");
    private static final List<String> TRAFFIC_KEYS = List.of("packets", "flows", "flowSizeAlpha", "tcpShare",
            "frames");
    private static final List<String> FRAME_KEYS = List.of("min", "max", "sizes");
    private static final List<String> SIZE_KEYS = List.of("bytes", "weight");

    private static final List<String> MODELS = List.of("preprogrammed", "hoverboard", "gateway", "on-demand");
    private static final List<String> PROTOCOL_NAMES = List.of("tcp", "udp", "any");
    private static final List<Integer> PROTOCOL_NUMBERS = List.of(6, 17, -1);

    private static final int MAX_VNI = (1 << 24) - 1;
    private static final int MAX_PORT = 65535;
    private static final int MIN_FRAME = 64;
    private static final int MAX_FRAME = 9000;

    private static final Range POSITIVE = new Range(0, true, Double.POSITIVE_INFINITY, "(must be > 0)");
    private static final Range ALPHA = new Range(0, true, 10, "(0, 10]");
    private static final Range SHARE = new Range(0, false, 1, "0..1");

    /** Before clipping to the scenario's [min, max]; 0 = uniform in [min, max]. */
    private static final List<WeightedSize> DEFAULT_SIZES = List.of(new WeightedSize(64, 4),
            new WeightedSize(0, 3), new WeightedSize(1500, 2), new WeightedSize(9000, 1));
    private static final List<String> DEFAULT_MIXES = List.of("all=sw", "all=emu", "all=rtl-jni", "all=rtl-ffm",
            "checksum=rtl-ffm", "copy=rtl-ffm", "crypto=rtl-ffm", "port=emu",
            "port=rtl-jni", "checksum=nic,crypto=nic,port=emu", "checksum=nic,crypto=nic,port=rtl-ffm");

    // Underscores between digits as YAML 1.1 allows (packets: 1_000_000); no hex, octal or sexagesimal.
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+(_\\d+)*");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern PORTS = Pattern.compile("(\\d{1,9})(?:\\s*-\\s*(\\d{1,9}))?");
    private static final Pattern ALL_MIX = Pattern.compile("all\\s*=\\s*([^,]*)");

    /** The file name as the user gave it, or another name for the text; starts every message. */
    private final String source;

    private ScenarioLoader(String source) {
        this.source = source;
    }

    /**
     * Reads and validates a scenario file (UTF-8).
     *
     * @throws ScenarioException naming the file, the line and the reason
     */
    public static Scenario load(Path file) {
        return parse(read(file), file.toString());
    }

    /**
     * Validates scenario YAML text.
     *
     * @param sourceName what to call the text in messages, usually its file name
     * @throws ScenarioException naming {@code sourceName}, the line and the reason
     */
    public static Scenario parse(String yamlText, String sourceName) {
        ScenarioLoader loader = new ScenarioLoader(sourceName);
        return loader.scenario(loader.compose(yamlText));
    }

    /** The built-in scenario, {@code /scenarios/default.yaml} on the class path. */
    public static Scenario defaults() {
        try (InputStream in = ScenarioLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in scenario " + DEFAULT_RESOURCE
                        + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- text to nodes

    private static String read(Path file) {
        String source = file.toString();
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(source, 0, "no such file", e);
        } catch (CharacterCodingException e) {
            throw new ScenarioException(source, 0, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new ScenarioException(source, 0, "cannot read: " + e, e);
        }
    }

    private Node compose(String text) {
        Node root;
        try {
            // compose() builds the node tree only; SnakeYAML checks duplicate keys later, when it constructs
            // objects, which we never do -- so Fields checks them itself.
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw syntaxError(e);
        } catch (YAMLException e) {
            throw new ScenarioException(source, 0, "not readable as YAML: " + e.getMessage(), e);
        }
        if (root == null || isNull(root)) {
            throw new ScenarioException(source, 1, "the file is empty; a scenario needs at least "
                    + "name, hosts, networks and traffic");
        }
        return root;
    }

    private ScenarioException syntaxError(MarkedYAMLException e) {
        Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        StringBuilder reason = new StringBuilder("YAML syntax error: ")
                .append(e.getProblem() != null ? e.getProblem() : e.getContext());
        if (e.getProblem() != null && e.getContext() != null) {
            reason.append(" (").append(e.getContext());
            if (e.getContextMark() != null) {
                reason.append(" at line ").append(e.getContextMark().getLine() + 1);
            }
            reason.append(')');
        }
        return new ScenarioException(source, at == null ? 0 : at.getLine() + 1, reason.toString(), e);
    }

    // ---------------------------------------------------------------- the schema

    private Scenario scenario(Node root) {
        if (!(root instanceof MappingNode)) {
            throw fail(root, "a scenario must be a mapping of keys (" + String.join(", ", TOP_KEYS) + "), got "
                    + describe(root));
        }
        Fields f = new Fields(root, "", TOP_KEYS);
        String name = f.string("name");
        long seed = f.longInteger("seed", 2026);
        double clockMHz = f.decimal("clockMHz", 0, POSITIVE); // absent: each block at its own clock
        int hosts = f.integer("hosts", 2, 64);
        int hoverboards = f.integer("hoverboards", 0, 8, 1);
        int vmsPerHost = f.integer("vmsPerHost", 1, 64, 2);
        ControlPlane control = controlPlane(f.mappingOrEmpty("controlPlane", CONTROL_KEYS));
        checkHoverboards(f, hoverboards, control.model());
        List<Network> networks = networks(f.list("networks", 1, 16), f.path("networks"), hosts * vmsPerHost);
        Traffic traffic = traffic(f.mapping("traffic", TRAFFIC_KEYS));
        List<String> mixes = f.has("mixes")
                ? mixes(f.list("mixes", 0, NO_LIMIT), f.path("mixes"))
                : DEFAULT_MIXES.stream().map(ScenarioLoader::canonicalMix).toList();
        String dataplane = f.has("dataplane")
                ? LadderRung.parse(f.choice("dataplane", DATAPLANES, null)).label() : null;
        return new Scenario(name, seed, hosts, hoverboards, vmsPerHost, control, networks, traffic, mixes, clockMHz,
                dataplane);
    }

    private ControlPlane controlPlane(Fields f) {
        return new ControlPlane(
                f.choice("model", MODELS, "hoverboard"),
                f.decimal("offloadThresholdBps", 20000, POSITIVE),
                f.integer("intervals", 1, 1000, 8),
                f.decimal("intervalSeconds", 1.0, POSITIVE),
                f.integer("idleIntervals", 1, 100, 3));
    }

    private void checkHoverboards(Fields f, int hoverboards, String model) {
        // The preprogrammed model gives every host every flow up front and needs no hoverboard; the
        // hoverboard, gateway and on-demand models send unknown flows to one (on-demand: until the
        // controller has programmed the flow the host reported). (hoverboards defaults to 1, so 0 is written.)
        if (hoverboards == 0 && !model.equals("preprogrammed")) {
            throw new ScenarioException(source, f.lineOf("hoverboards"), "hoverboards 0: the " + model
                    + " model needs at least 1 hoverboard (or use model preprogrammed)");
        }
    }

    /** A network with the lines its unique values came from, for the messages about clashes. */
    private record Placed(Network network, Cidr prefix, int nameLine, int vniLine, int prefixLine) {
    }

    private List<Network> networks(List<Node> items, String path, int vms) {
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Placed p = network(mapping(items.get(i), path + "[" + i + "]", NETWORK_KEYS), vms);
            checkDistinct(p, placed);
            placed.add(p);
        }
        return placed.stream().map(Placed::network).toList();
    }

    private Placed network(Fields f, int vms) {
        String name = f.string("name");
        int vni = f.integer("vni", 1, MAX_VNI);
        Cidr prefix = f.cidr("prefix", 8, 30);
        checkRoom(f, name, prefix, vms);
        boolean psp = f.bool("psp", false);
        // No firewall key: the network talks to itself (any protocol, any port); an empty list allows nothing.
        List<Rule> firewall = f.has("firewall")
                ? rules(f.list("firewall", 0, NO_LIMIT), f.path("firewall"))
                : List.of(new Rule(-1, prefix.address(), prefix.length(), 0, MAX_PORT));
        return new Placed(new Network(name, vni, prefix.address(), prefix.length(), psp, firewall), prefix,
                f.lineOf("name"), f.lineOf("vni"), f.lineOf("prefix"));
    }

    private void checkRoom(Fields f, String name, Cidr prefix, int vms) {
        long room = (1L << (32 - prefix.length())) - 2; // less the network and broadcast addresses
        if (vms > room) {
            throw new ScenarioException(source, f.lineOf("prefix"), "prefix " + prefix + " of network '" + name
                    + "' has room for " + room + " VMs, but hosts * vmsPerHost = " + vms);
        }
    }

    private void checkDistinct(Placed p, List<Placed> before) {
        Network n = p.network();
        for (Placed q : before) {
            Network o = q.network();
            if (o.name().equals(n.name())) {
                throw new ScenarioException(source, p.nameLine(), "duplicate network name '" + n.name()
                        + "' (also at line " + q.nameLine() + ")");
            }
            if (o.vni() == n.vni()) {
                throw new ScenarioException(source, p.vniLine(), "duplicate vni " + n.vni() + " (also network '"
                        + o.name() + "' at line " + q.vniLine() + ")");
            }
            // A deliberate restriction: real VPCs may reuse addresses, but here a VM's address names one VM
            // across all networks, which keeps placement, the scoreboard and the reports simple.
            if (p.prefix().overlaps(q.prefix())) {
                throw new ScenarioException(source, p.prefixLine(), "prefix " + p.prefix() + " of network '"
                        + n.name() + "' overlaps " + q.prefix() + " of network '" + o.name() + "' (line "
                        + q.prefixLine() + "); this testbed needs disjoint network prefixes");
            }
        }
    }

    private List<Rule> rules(List<Node> items, String path) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            rules.add(rule(mapping(items.get(i), path + "[" + i + "]", RULE_KEYS)));
        }
        return rules;
    }

    private Rule rule(Fields f) {
        int protocol = PROTOCOL_NUMBERS.get(PROTOCOL_NAMES.indexOf(f.choice("protocol", PROTOCOL_NAMES, null)));
        Cidr from = f.cidr("from", 0, 32);
        int[] ports = f.ports("ports");
        return new Rule(protocol, from.address(), from.length(), ports[0], ports[1]);
    }

    private Traffic traffic(Fields f) {
        int packets = f.integer("packets", 1, 10_000_000);
        int flows = f.integer("flows", 1, packets); // every flow sends at least one packet
        double alpha = f.decimal("flowSizeAlpha", 1.2, ALPHA);
        double tcpShare = f.decimal("tcpShare", 0.5, SHARE);
        Fields frames = f.mappingOrEmpty("frames", FRAME_KEYS);
        int min = frames.integer("min", MIN_FRAME, MAX_FRAME, MIN_FRAME);
        int max = frames.integer("max", min, MAX_FRAME, MAX_FRAME);
        List<WeightedSize> sizes = frames.has("sizes")
                ? sizes(frames.list("sizes", 1, NO_LIMIT), frames.path("sizes"), min, max)
                : defaultSizes(min, max);
        return new Traffic(packets, flows, alpha, tcpShare, min, max, sizes);
    }

    private List<WeightedSize> sizes(List<Node> items, String path, int min, int max) {
        List<WeightedSize> sizes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Fields f = mapping(items.get(i), path + "[" + i + "]", SIZE_KEYS);
            int bytes = f.integer("bytes", 0, MAX_FRAME);
            if (bytes != 0 && (bytes < min || bytes > max)) {
                throw new ScenarioException(source, f.lineOf("bytes"), "frame size " + bytes + " outside "
                        + min + ".." + max + " (frames min..max; 0 means uniform in that range)");
            }
            sizes.add(new WeightedSize(bytes, f.decimal("weight", POSITIVE)));
        }
        return sizes;
    }

    /**
     * The default sizes that lie in [min, max]. The uniform entry (0) always does, so the {0: 1} fallback the
     * schema names only guards a future change of the list.
     */
    private static List<WeightedSize> defaultSizes(int min, int max) {
        List<WeightedSize> kept = DEFAULT_SIZES.stream()
                .filter(s -> s.bytes() == 0 || (s.bytes() >= min && s.bytes() <= max))
                .toList();
        return kept.isEmpty() ? List.of(new WeightedSize(0, 1)) : kept;
    }

    private List<String> mixes(List<Node> items, String path) {
        Map<String, Integer> lines = new LinkedHashMap<>(); // canonical mix -> its line, in file order
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String text = scalarText(item, path + "[" + i + "]", "a stage mix like copy=rtl-ffm@1024");
            String canonical = mixAt(item, text);
            Integer before = lines.putIfAbsent(canonical, line(item));
            if (before != null) {
                throw fail(item, "duplicate mix '" + text + "' (same as line " + before + ": " + canonical + ")");
            }
        }
        return referenceFirst(List.copyOf(lines.keySet()));
    }

    private String mixAt(Node item, String text) {
        try {
            return canonicalMix(text);
        } catch (IllegalArgumentException e) {
            // StageMix names the bad part in quotes; when that part is the whole text, say it once.
            String reason = e.getMessage().startsWith("'" + text + "'") ? "mix " + e.getMessage()
                    : "mix '" + text + "': " + e.getMessage();
            throw new ScenarioException(source, line(item), reason, e);
        }
    }

    /** {@code all=<impl>} or a {@link StageMix#parse stage mix}, in {@link StageMix#toString() canonical} form. */
    private static String canonicalMix(String text) {
        Matcher all = ALL_MIX.matcher(text.trim());
        if (all.matches()) {
            String impl = all.group(1).trim();
            if (!Offloads.IMPLEMENTATIONS.contains(impl)) { // StageMix.all would name a stage; all= means every one
                throw new IllegalArgumentException("no implementation '" + impl + "'; implementations: "
                        + Offloads.IMPLEMENTATIONS);
            }
            return StageMix.all(impl).toString();
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty; write all=<impl> or stage=impl[@bytes],...");
        }
        return StageMix.parse(text).toString();
    }

    /** The scoreboard compares every mix with the first, so all-sw (the reference) goes first, added if missing. */
    private static List<String> referenceFirst(List<String> mixes) {
        String reference = StageMix.software().toString();
        List<String> ordered = new ArrayList<>();
        ordered.add(reference);
        mixes.stream().filter(m -> !m.equals(reference)).forEach(ordered::add);
        return ordered;
    }

    // ---------------------------------------------------------------- typed reading of nodes

    /** An IPv4 prefix: the address as a big-endian int, and its length. */
    private record Cidr(int address, int length) {
        static int mask(int length) {
            return length == 0 ? 0 : -1 << (32 - length);
        }

        boolean overlaps(Cidr other) {
            int m = mask(Math.min(length, other.length));
            return (address & m) == (other.address & m);
        }

        @Override
        public String toString() {
            return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                    + (address & 0xff) + "/" + length;
        }
    }

    /** Allowed values of a decimal, and how to say so. */
    private record Range(double lo, boolean loOpen, double hi, String text) {
        boolean contains(double v) {
            return (loOpen ? v > lo : v >= lo) && v <= hi;
        }
    }

    private Fields mapping(Node node, String path, List<String> allowed) {
        if (!(node instanceof MappingNode)) {
            throw fail(node, "'" + path + "' must be a mapping (" + String.join(", ", allowed) + "), got "
                    + describe(node));
        }
        return new Fields(node, path, allowed);
    }

    /**
     * One mapping of the file, its keys checked against the schema when it is made, its values read by type
     * and range. {@code path} names it in messages ({@code traffic.frames}, {@code networks[1]}; "" is the top).
     */
    private final class Fields {
        private final String path;
        private final int line;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

        /** A mapping that is not in the file: every optional key reads as its default. */
        Fields(String path, int line) {
            this.path = path;
            this.line = line;
        }

        Fields(Node node, String path, List<String> allowed) {
            this(path, line(node));
            for (NodeTuple t : ((MappingNode) node).getValue()) {
                add(t, allowed);
            }
        }

        private void add(NodeTuple t, List<String> allowed) {
            Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode k)) {
                throw fail(keyNode, "a key must be a name, got " + describe(keyNode) + " " + place());
            }
            String key = k.getValue();
            NodeTuple before = entries.get(key);
            if (before != null) {
                throw fail(keyNode, "duplicate key '" + key + "' " + place() + " (also at line "
                        + line(before.getKeyNode()) + ")");
            }
            if (!allowed.contains(key)) {
                throw fail(keyNode, "unknown key '" + key + "' " + place() + " (allowed: "
                        + String.join(", ", allowed) + ")");
            }
            entries.put(key, t);
        }

        private String place() {
            return path.isEmpty() ? "at top level" : "under " + path;
        }

        /** The path of a key's value, for the mappings and lists below this one. */
        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        /** The line of a key's value, or of this mapping when the key is absent. */
        int lineOf(String key) {
            return has(key) ? line(value(key)) : line;
        }

        private Node value(String key) {
            NodeTuple t = entries.get(key);
            if (t == null) {
                throw new ScenarioException(source, line, "missing required key '" + key + "' " + place());
            }
            return t.getValueNode();
        }

        String string(String key) {
            Node n = value(key);
            String s = scalarText(n, key, "a string");
            if (s.isBlank()) {
                throw fail(n, "'" + key + "' must not be empty");
            }
            return s;
        }

        /** One of {@code allowed}; {@code otherwise} when absent, required if that is null. */
        String choice(String key, List<String> allowed, String otherwise) {
            if (otherwise != null && !has(key)) {
                return otherwise;
            }
            String s = scalarText(value(key), key, "one of " + allowed);
            if (!allowed.contains(s)) {
                throw fail(value(key), "unknown " + key + " '" + s + "' (allowed: " + String.join(", ", allowed)
                        + ")");
            }
            return s;
        }

        int integer(String key, int lo, int hi) {
            return (int) integerIn(value(key), key, lo, hi);
        }

        int integer(String key, int lo, int hi, int otherwise) {
            return has(key) ? integer(key, lo, hi) : otherwise;
        }

        long longInteger(String key, long otherwise) {
            return has(key) ? integerIn(value(key), key, Long.MIN_VALUE, Long.MAX_VALUE) : otherwise;
        }

        double decimal(String key, Range range) {
            Node n = value(key);
            String s = scalarText(n, key, "a number");
            if (!DECIMAL.matcher(s).matches()) {
                throw fail(n, "'" + key + "' must be a number, got '" + s + "'");
            }
            double v = Double.parseDouble(s);
            if (!range.contains(v)) {
                throw fail(n, key + " " + s + " out of range " + range.text());
            }
            return v;
        }

        double decimal(String key, double otherwise, Range range) {
            return has(key) ? decimal(key, range) : otherwise;
        }

        boolean bool(String key, boolean otherwise) {
            if (!has(key)) {
                return otherwise;
            }
            // Only true and false: YAML 1.1's yes/no/on/off are refused, as "no" for Norway shows why.
            String s = scalarText(value(key), key, "true or false");
            if (!s.equals("true") && !s.equals("false")) {
                throw fail(value(key), "'" + key + "' must be true or false, got '" + s + "'");
            }
            return s.equals("true");
        }

        /** An IPv4 prefix {@code a.b.c.d/len} with lo <= len <= hi and the host bits zero. */
        Cidr cidr(String key, int lo, int hi) {
            Node n = value(key);
            String s = scalarText(n, key, "an IPv4 prefix like 10.0.0.0/24");
            Matcher m = CIDR.matcher(s);
            if (!m.matches() || octet(m, 1) > 255 || octet(m, 2) > 255 || octet(m, 3) > 255 || octet(m, 4) > 255) {
                throw fail(n, "'" + key + "' must be an IPv4 prefix like 10.0.0.0/24, got '" + s + "'");
            }
            int length = octet(m, 5);
            if (length < lo || length > hi) {
                throw fail(n, key + " length " + length + " out of range " + lo + ".." + hi + " in '" + s + "'");
            }
            int address = octet(m, 1) << 24 | octet(m, 2) << 16 | octet(m, 3) << 8 | octet(m, 4);
            Cidr network = new Cidr(address & Cidr.mask(length), length);
            // Host bits are an error, not masked away: 10.0.0.5/24 is more likely a typo than a wish.
            if (network.address() != address) {
                throw fail(n, key + " " + s + " has host bits set (the prefix would be " + network + ")");
            }
            return network;
        }

        /** {@code N} or {@code LO-HI}, ports 0..65535, LO <= HI; as {lo, hi}. */
        int[] ports(String key) {
            Node n = value(key);
            String s = scalarText(n, key, "a port or port range like 1024-65535");
            Matcher m = PORTS.matcher(s);
            if (!m.matches()) {
                throw fail(n, "'" + key + "' must be N or LO-HI (0.." + MAX_PORT + "), got '" + s + "'");
            }
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            if (lo > MAX_PORT || hi > MAX_PORT) {
                throw fail(n, key + " " + s + " out of range 0.." + MAX_PORT);
            }
            if (lo > hi) {
                throw fail(n, key + " " + s + ": low end " + lo + " above high end " + hi);
            }
            return new int[] {lo, hi};
        }

        List<Node> list(String key, int min, int max) {
            Node n = value(key);
            if (!(n instanceof SequenceNode seq)) {
                throw fail(n, "'" + key + "' must be a list, got " + describe(n));
            }
            int size = seq.getValue().size();
            if (size < min || size > max) {
                throw fail(n, "'" + key + "' needs " + (max == NO_LIMIT ? "at least " + min : min + ".." + max)
                        + " entries, got " + size);
            }
            return seq.getValue();
        }

        Fields mapping(String key, List<String> allowed) {
            return ScenarioLoader.this.mapping(value(key), path(key), allowed);
        }

        /** The mapping under {@code key}, or an empty one (all defaults) when the key is absent. */
        Fields mappingOrEmpty(String key, List<String> allowed) {
            return has(key) ? mapping(key, allowed) : new Fields(path(key), line);
        }
    }

    private static int octet(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** An integer in lo..hi; big literals are compared as written, so 99999999999 is out of range, not wrapped. */
    private long integerIn(Node n, String key, long lo, long hi) {
        String s = scalarText(n, key, "an integer");
        if (!INTEGER.matcher(s).matches()) {
            throw fail(n, "'" + key + "' must be an integer, got '" + s + "'");
        }
        BigInteger v = new BigInteger(s.replace("_", ""));
        if (v.compareTo(BigInteger.valueOf(lo)) < 0 || v.compareTo(BigInteger.valueOf(hi)) > 0) {
            throw fail(n, key + " " + s + " out of range " + lo + ".." + hi);
        }
        return v.longValueExact();
    }

    /** The text of a scalar; a list, a mapping or nothing (null) is a type error naming {@code kind}. */
    private String scalarText(Node n, String key, String kind) {
        if (!(n instanceof ScalarNode s) || isNull(n)) {
            throw fail(n, "'" + key + "' must be " + kind + ", got " + describe(n));
        }
        return s.getValue().trim();
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode && n.getTag().equals(Tag.NULL); // plain empty, ~ or null (quoted is a string)
    }

    private static String describe(Node n) {
        return switch (n) {
            case MappingNode _ -> "a mapping";
            case SequenceNode _ -> "a list";
            case ScalarNode s when isNull(s) -> s.getValue().isEmpty() ? "nothing" : "'" + s.getValue() + "' (null)";
            case ScalarNode s -> "'" + s.getValue() + "'";
            default -> "a " + n.getNodeId();
        };
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private ScenarioException fail(Node at, String reason) {
        return new ScenarioException(source, line(at), reason);
    }
}
