package dev.andromeda.testbed.tb.scenario;

import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.hw.BlockClocks;

import dev.andromeda.testbed.tb.scenario.Scenario.ControlPlane;
import dev.andromeda.testbed.tb.scenario.Scenario.Network;
import dev.andromeda.testbed.tb.scenario.Scenario.Rule;
import dev.andromeda.testbed.tb.scenario.Scenario.Traffic;
import dev.andromeda.testbed.tb.scenario.Scenario.WeightedSize;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ScenarioLoaderTest {

    private static final String ALL_SW = "checksum=sw,copy=sw,crypto=sw";
    private static final List<String> DEFAULT_MIXES = List.of(ALL_SW, "checksum=emu,copy=emu,crypto=emu",
            "checksum=rtl-jni,copy=rtl-jni,crypto=rtl-jni", "checksum=rtl-ffm,copy=rtl-ffm,crypto=rtl-ffm",
            "checksum=rtl-ffm,copy=sw,crypto=sw", "checksum=sw,copy=rtl-ffm,crypto=sw",
            "checksum=sw,copy=sw,crypto=rtl-ffm", "checksum=sw,copy=sw,crypto=sw,port=emu",
            "checksum=sw,copy=sw,crypto=sw,port=rtl-jni", "checksum=nic,copy=sw,crypto=nic,port=emu",
            "checksum=nic,copy=sw,crypto=nic,port=rtl-ffm");
    private static final List<WeightedSize> DEFAULT_SIZES = List.of(new WeightedSize(64, 4),
            new WeightedSize(0, 3), new WeightedSize(1500, 2), new WeightedSize(9000, 1));

    /** The smallest valid file: only the required keys. */
    private static final String MINIMAL = """
            name: m
            hosts: 2
            networks:
              - name: blue
                vni: 100
                prefix: 10.0.0.0/24
            traffic:
              packets: 100
              flows: 10
            """;

    @Test
    void theBuiltInScenarioLoadsWithTheDocumentedValues() {
        Scenario s = ScenarioLoader.defaults();

        assertThat(s.name()).isEqualTo("two networks, two hosts and a hoverboard");
        assertThat(s.seed()).isEqualTo(2026);
        assertThat(s.clockMHz()).as("no clock given: each block at its own").isZero();
        assertThat(s.clockMHz(Stage.COPY)).isEqualTo(BlockClocks.mhz("dma_copy"));
        assertThat(s.clockMHz(Stage.CRYPTO)).isEqualTo(BlockClocks.mhz("aes_gcm"));
        assertThat(s.hosts()).isEqualTo(2);
        assertThat(s.hoverboards()).isEqualTo(1);
        assertThat(s.vmsPerHost()).isEqualTo(2);
        assertThat(s.control()).isEqualTo(new ControlPlane("hoverboard", 20000, 8, 1.0, 3));
        assertThat(s.networks()).containsExactly(
                new Network("blue", 100, 0x0A000000, 24, false, List.of(new Rule(-1, 0x0A000000, 24, 0, 65535))),
                new Network("red", 200, 0x0A010000, 24, true, List.of(
                        new Rule(6, 0x0A010000, 24, 1, 65535),
                        new Rule(17, 0x0A010000, 24, 1024, 65535))));
        assertThat(s.traffic()).isEqualTo(new Traffic(3000, 48, 1.2, 0.5, 64, 9000, DEFAULT_SIZES));
        assertThat(s.mixes()).isEqualTo(DEFAULT_MIXES);
    }

    @Test
    void aClockInTheFileModelsEveryBlockAtIt() {
        Scenario s = ScenarioLoader.parse("clockMHz: 125\n" + MINIMAL, "clock.yaml");
        for (Stage st : Stage.values()) {
            assertThat(s.clockMHz(st)).as(st.block()).isEqualTo(125);
        }
    }

    @Test
    void aDataplaneKeyNamesALadderRungAndAnUnknownOneIsRefusedNamingTheRungs() {
        assertThat(ScenarioLoader.parse(MINIMAL, "none.yaml").dataplane()).isNull();
        assertThat(ScenarioLoader.parse("dataplane: ladder-2.1\n" + MINIMAL, "l.yaml").dataplane()).isEqualTo("2.1");
        assertThat(ScenarioLoader.parse("dataplane: ladder-pre-andromeda\n" + MINIMAL, "p.yaml").dataplane())
                .isEqualTo("pre-andromeda");
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLoader.parse("dataplane: ladder-3.0\n" + MINIMAL, "bad.yaml"));
        assertThat(e.getMessage()).contains("bad.yaml", "ladder-3.0", "ladder-pre-andromeda", "ladder-2.2");
    }

    @Test
    void aMinimalFileGetsTheDefaults() {
        Scenario s = ScenarioLoader.parse(MINIMAL, "min.yaml");

        assertThat(s.name()).isEqualTo("m");
        assertThat(s.seed()).isEqualTo(2026);
        assertThat(s.clockMHz()).isZero();
        assertThat(s.hosts()).isEqualTo(2);
        assertThat(s.hoverboards()).isEqualTo(1);
        assertThat(s.vmsPerHost()).isEqualTo(2);
        assertThat(s.control()).isEqualTo(new ControlPlane("hoverboard", 20000, 8, 1.0, 3));
        assertThat(s.networks()).containsExactly(
                new Network("blue", 100, 0x0A000000, 24, false, List.of(new Rule(-1, 0x0A000000, 24, 0, 65535))));
        assertThat(s.traffic()).isEqualTo(new Traffic(100, 10, 1.2, 0.5, 64, 9000, DEFAULT_SIZES));
        assertThat(s.mixes()).isEqualTo(DEFAULT_MIXES);
    }

    @Test
    void defaultFrameSizesAreClippedToMinAndMax() {
        Scenario s = ScenarioLoader.parse(MINIMAL + """
                  frames:
                    min: 100
                    max: 2000
                """, "frames.yaml");

        assertThat(s.traffic().sizes()).containsExactly(new WeightedSize(0, 3), new WeightedSize(1500, 2));
    }

    @Test
    void anEmptyFirewallAllowsNothingAndWrittenSizesAreKept() {
        Scenario s = ScenarioLoader.parse("""
                name: m
                hosts: 2
                networks:
                  - name: blue
                    vni: 100
                    prefix: 10.0.0.0/24
                    firewall: []
                traffic:
                  packets: 100
                  flows: 10
                  frames:
                    sizes: [{bytes: 128, weight: 0.5}]
                """, "x.yaml");

        assertThat(s.networks().getFirst().firewall()).isEmpty();
        assertThat(s.traffic().sizes()).containsExactly(new WeightedSize(128, 0.5));
    }

    @Test
    void mixesAreStoredCanonicallyWithAllSwMovedFirst() {
        Scenario s = ScenarioLoader.parse(MINIMAL + """
                mixes:
                  - copy=rtl-ffm@1024
                  - crypto=emu , checksum=rtl-jni
                  - all=rtl-ffm
                  - all=sw
                """, "mixes.yaml");

        assertThat(s.mixes()).containsExactly(ALL_SW, "checksum=sw,copy=rtl-ffm@1024,crypto=sw",
                "checksum=rtl-jni,copy=sw,crypto=emu", "checksum=rtl-ffm,copy=rtl-ffm,crypto=rtl-ffm");
    }

    @Test
    void allSwIsAddedWhenMissingAndRecognisedInAnyForm() {
        Scenario added = ScenarioLoader.parse(MINIMAL + "mixes: [all=emu]\n", "a.yaml");
        Scenario spelled = ScenarioLoader.parse(MINIMAL + "mixes: [all=emu, 'copy=sw']\n", "b.yaml");

        assertThat(added.mixes()).containsExactly(ALL_SW, "checksum=emu,copy=emu,crypto=emu");
        assertThat(spelled.mixes()).containsExactly(ALL_SW, "checksum=emu,copy=emu,crypto=emu");
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), MINIMAL);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), MINIMAL.replace("hosts: 2", "hosts: two"));

        assertThat(ScenarioLoader.load(good).name()).isEqualTo("m");
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(bad));
        assertThat(e).hasMessage(bad + ":2: 'hosts' must be an integer, got 'two'");
    }

    @Test
    void aMissingFileSaysSo(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(missing));

        assertThat(e.line()).isZero();
        assertThat(e).hasMessage(missing + ": no such file");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileIsRejectedWithItsLineAndReason(String yaml, int line, String phrase) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLoader.parse(yaml, "bad.yaml"));

        assertThat(e).as("no error for%n%s", yaml).isNotNull();
        assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(e.getMessage()).startsWith("bad.yaml:" + line + ": ").contains(phrase);
    }

    private static Arguments bad(String what, String yaml, int line, String phrase) {
        return Arguments.of(Named.of(what, yaml), line, phrase);
    }

    /** The minimal file with one line replaced; line numbers are those of {@link #MINIMAL} (1-based). */
    private static Arguments badLine(String what, int lineNo, String replacement, int line, String phrase) {
        List<String> lines = new java.util.ArrayList<>(MINIMAL.lines().toList());
        lines.set(lineNo - 1, replacement);
        return bad(what, String.join("\n", lines) + "\n", line, phrase);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                bad("unknown key at top level", MINIMAL + "packets: 5\n", 10,
                        "unknown key 'packets' at top level (allowed: name, seed,"),
                badLine("unknown key nested", 8, "  packts: 100", 8,
                        "unknown key 'packts' under traffic (allowed: packets, flows, flowSizeAlpha, tcpShare, frames)"),
                badLine("unknown key in a list entry", 6, "    prefx: 10.0.0.0/24", 6,
                        "unknown key 'prefx' under networks[0]"),
                bad("unknown key deep", MINIMAL + "  frames:\n    sizes:\n      - {bytes: 64, wieght: 1}\n", 12,
                        "unknown key 'wieght' under traffic.frames.sizes[0]"),
                badLine("wrong type: integer", 2, "hosts: two", 2, "'hosts' must be an integer, got 'two'"),
                badLine("wrong type: boolean", 6, "    prefix: 10.0.0.0/24\n    psp: yes", 7,
                        "'psp' must be true or false, got 'yes'"),
                bad("wrong type: list", "name: m\nhosts: 2\nnetworks: blue\ntraffic: {packets: 1, flows: 1}\n", 3,
                        "'networks' must be a list, got 'blue'"),
                bad("wrong type: mapping", MINIMAL.substring(0, MINIMAL.indexOf("traffic")) + "traffic: [1, 2]\n", 7,
                        "'traffic' must be a mapping (packets, flows, flowSizeAlpha, tcpShare, frames), got a list"),
                badLine("wrong type: number", 9, "  flows: 10\n  tcpShare: half", 10,
                        "'tcpShare' must be a number, got 'half'"),
                badLine("wrong type: nothing", 1, "name:", 1, "'name' must be a string, got nothing"),
                bad("wrong type: list entry", MINIMAL.replace("  - name: blue", "  - blue\n  - name: blue"), 4,
                        "'networks[0]' must be a mapping"),
                badLine("out of range: vni", 5, "    vni: 0", 5, "vni 0 out of range 1..16777215"),
                badLine("out of range: huge vni", 5, "    vni: 99999999999999999999", 5,
                        "vni 99999999999999999999 out of range 1..16777215"),
                badLine("out of range: hosts", 2, "hosts: 65", 2, "hosts 65 out of range 2..64"),
                badLine("out of range: flows above packets", 9, "  flows: 101", 9, "flows 101 out of range 1..100"),
                badLine("out of range: tcpShare", 9, "  flows: 10\n  tcpShare: 1.5", 10,
                        "tcpShare 1.5 out of range 0..1"),
                badLine("out of range: alpha", 9, "  flows: 10\n  flowSizeAlpha: 0", 10,
                        "flowSizeAlpha 0 out of range (0, 10]"),
                bad("out of range: clock", "clockMHz: -1\n" + MINIMAL, 1, "clockMHz -1 out of range (must be > 0)"),
                bad("out of range: frame max below min", MINIMAL + "  frames:\n    min: 1000\n    max: 500\n", 12,
                        "max 500 out of range 1000..9000"),
                bad("frame size outside min..max", MINIMAL + "  frames:\n    max: 1500\n    sizes:\n"
                        + "      - {bytes: 9000, weight: 1}\n", 13, "frame size 9000 outside 64..1500"),
                bad("frame weight not positive", MINIMAL + "  frames:\n    sizes:\n      - bytes: 64\n"
                        + "        weight: 0\n", 13, "weight 0 out of range (must be > 0)"),
                bad("no networks", "name: m\nhosts: 2\nnetworks: []\ntraffic: {packets: 1, flows: 1}\n", 3,
                        "'networks' needs 1..16 entries, got 0"),
                bad("missing required key at top level", MINIMAL.replace("hosts: 2\n", ""), 1,
                        "missing required key 'hosts' at top level"),
                badLine("missing required key nested", 5, "    psp: true", 4,
                        "missing required key 'vni' under networks[0]"),
                bad("missing traffic", MINIMAL.substring(0, MINIMAL.indexOf("traffic")), 1,
                        "missing required key 'traffic' at top level"),
                badLine("duplicate key", 2, "hosts: 2\nhosts: 3", 3,
                        "duplicate key 'hosts' at top level (also at line 2)"),
                badLine("duplicate key nested", 9, "  flows: 10\n  flows: 20", 10,
                        "duplicate key 'flows' under traffic (also at line 9)"),
                bad("duplicate vni", twoNetworks("red", 100, "10.1.0.0/24"), 8,
                        "duplicate vni 100 (also network 'blue' at line 5)"),
                bad("duplicate network name", twoNetworks("blue", 200, "10.1.0.0/24"), 7,
                        "duplicate network name 'blue' (also at line 4)"),
                bad("overlapping prefixes", twoNetworks("red", 200, "10.0.0.0/16"), 9,
                        "prefix 10.0.0.0/16 of network 'red' overlaps 10.0.0.0/24 of network 'blue' (line 6)"),
                badLine("prefix with host bits", 6, "    prefix: 10.0.0.1/24", 6,
                        "prefix 10.0.0.1/24 has host bits set (the prefix would be 10.0.0.0/24)"),
                badLine("too many VMs for the prefix", 6, "    prefix: 10.0.0.0/30", 6,
                        "prefix 10.0.0.0/30 of network 'blue' has room for 2 VMs, but hosts * vmsPerHost = 4"),
                badLine("bad CIDR: three octets", 6, "    prefix: 10.0.0/24", 6,
                        "'prefix' must be an IPv4 prefix like 10.0.0.0/24, got '10.0.0/24'"),
                badLine("bad CIDR: octet above 255", 6, "    prefix: 10.0.0.256/24", 6,
                        "must be an IPv4 prefix"),
                badLine("bad CIDR: no length", 6, "    prefix: 10.0.0.0", 6, "must be an IPv4 prefix"),
                badLine("bad CIDR: length out of range", 6, "    prefix: 10.0.0.0/31", 6,
                        "prefix length 31 out of range 8..30"),
                bad("bad CIDR in a rule", withRule("any", "10.0.0.0/33", "0-65535"), 9,
                        "from length 33 out of range 0..32"),
                bad("bad port range: reversed", withRule("tcp", "10.0.0.0/24", "2000-1000"), 10,
                        "ports 2000-1000: low end 2000 above high end 1000"),
                bad("bad port range: above 65535", withRule("tcp", "10.0.0.0/24", "1-70000"), 10,
                        "ports 1-70000 out of range 0..65535"),
                bad("bad port range: not a number", withRule("tcp", "10.0.0.0/24", "http"), 10,
                        "'ports' must be N or LO-HI (0..65535), got 'http'"),
                bad("unknown protocol", withRule("icmp", "10.0.0.0/24", "0"), 8,
                        "unknown protocol 'icmp' (allowed: tcp, udp, any)"),
                bad("unknown control-plane model", "controlPlane:\n  model: sdn\n" + MINIMAL, 2,
                        "unknown model 'sdn' (allowed: preprogrammed, hoverboard, gateway, on-demand)"),
                bad("unknown mix implementation (all=)", MINIMAL + "mixes:\n  - all=sw\n  - all=fpga\n", 12,
                        "mix 'all=fpga': no implementation 'fpga'; implementations: [sw, emu, rtl-jni, rtl-ffm]"),
                bad("unknown mix implementation (stage)", MINIMAL + "mixes:\n  - copy=gpu\n", 11,
                        "mix 'copy=gpu': no implementation 'gpu' for copy"),
                bad("unknown mix stage", MINIMAL + "mixes:\n  - all=sw\n  - parse=emu\n", 12,
                        "mix 'parse=emu': no stage 'parse'"),
                bad("bad mix threshold", MINIMAL + "mixes:\n  - copy=emu@big\n", 11,
                        "mix 'copy=emu@big': the threshold after @ must be a byte count"),
                bad("mix not a text", MINIMAL + "mixes:\n  - {copy: emu}\n", 11,
                        "'mixes[0]' must be a stage mix like copy=rtl-ffm@1024, got a mapping"),
                bad("duplicate mix", MINIMAL + "mixes:\n  - all=emu\n  - checksum=emu,copy=emu,crypto=emu\n", 12,
                        "duplicate mix 'checksum=emu,copy=emu,crypto=emu' (same as line 11"),
                bad("duplicate all-sw", MINIMAL + "mixes:\n  - all=sw\n  - copy=sw\n", 12, "duplicate mix 'copy=sw'"),
                bad("hoverboard model with 0 hoverboards", "hoverboards: 0\n" + MINIMAL, 1,
                        "hoverboards 0: the hoverboard model needs at least 1 hoverboard"),
                bad("gateway model with 0 hoverboards", "hoverboards: 0\ncontrolPlane: {model: gateway}\n" + MINIMAL,
                        1, "the gateway model needs at least 1 hoverboard"),
                bad("on-demand model with 0 hoverboards", "hoverboards: 0\ncontrolPlane: {model: on-demand}\n"
                        + MINIMAL, 1, "the on-demand model needs at least 1 hoverboard"),
                badLine("YAML syntax error: bad indentation", 5, "     vni: 100", 5, "YAML syntax error"),
                badLine("YAML syntax error: unclosed bracket", 8, "  packets: [100", 9,
                        "YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence at line 8)"),
                bad("not a mapping", "- name: m\n", 1, "a scenario must be a mapping of keys"),
                bad("empty file", "", 1, "the file is empty"),
                bad("only comments", "# nothing yet\n\n", 1, "the file is empty"));
    }

    /** MINIMAL with a second network after blue: its name on line 7, vni on 8, prefix on 9. */
    private static String twoNetworks(String name, int vni, String prefix) {
        return MINIMAL.replace("traffic:", """
                  - name: %s
                    vni: %d
                    prefix: %s
                traffic:""".formatted(name, vni, prefix));
    }

    /** MINIMAL with one firewall rule for blue: protocol on line 8, from on 9, ports on 10. */
    private static String withRule(String protocol, String from, String ports) {
        return MINIMAL.replace("traffic:", """
                    firewall:
                      - protocol: %s
                        from: %s
                        ports: %s
                traffic:""".formatted(protocol, from, ports));
    }
}
