package dev.andromeda.testbed.tb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.andromeda.testbed.hw.HardwareBackends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tb demo} end to end at small size: the built-in scenario (its networks,
 * hoverboard model and every stage mix) with 300 packets, on the embedded control
 * plane; {@link #SCENARIO}, a file of the same shape, is what the bad-file test breaks.
 * The scoreboard's verdict is asserted from the JSON; the capture is decoded
 * by tshark (an independent decoder) with the PSP dissector the demo writes.
 */
@Timeout(300)
public class DemoCommandTest {
    /** Also the base of other tests' scenario files. */
    public static final String SCENARIO = """
            name: ci
            seed: 11
            hosts: 2
            hoverboards: 1
            vmsPerHost: 2
            controlPlane:
              model: hoverboard
              intervals: 3
            networks:
              - name: blue
                vni: 100
                prefix: 10.0.0.0/24
              - name: red
                vni: 200
                prefix: 10.1.0.0/24
                psp: true
                firewall:
                  - protocol: tcp
                    from: 10.1.0.0/24
                    ports: 1-65535
                  - protocol: udp
                    from: 10.1.0.0/24
                    ports: 1024-65535
            traffic:
              packets: 300
              flows: 24
            """;

    static Path dir;
    static JsonNode json;
    static Path pcap;
    static Path report;
    static int exit;
    static String out;

    @BeforeAll
    static void runTheDemo(@TempDir Path tmp) throws Exception {
        dir = tmp;
        pcap = dir.resolve("demo.pcap");
        report = dir.resolve("report");
        StringWriter s = new StringWriter();
        var cl = Tb.commandLine();
        cl.setOut(new PrintWriter(s));
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // The built-in scenario at small size: --quick (4 intervals) and 300 packets.
            exit = cl.execute("demo", "--quick", "--packets", "300", "--no-warmup", "--json",
                    dir.resolve("demo.json").toString(), "--pcap", pcap.toString(), "--report", report.toString(),
                    "--work-dir", dir.resolve("work").toString());
        } finally {
            System.setOut(stdout);
        }
        out = captured.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        json = new ObjectMapper().readTree(dir.resolve("demo.json").toFile());
    }

    @Test
    void everyMixDeliversEveryPacketOnceAndByteIdenticalToSoftware() {
        assertThat(exit).as(out).isZero();
        assertThat(json.get("clean").asBoolean()).isTrue();
        List<String> ran = new ArrayList<>();
        for (JsonNode run : json.get("runs")) {
            String mix = run.get("mix").asText();
            if (run.has("unavailable")) {
                assertThat(HardwareBackends.rtlRequired()).as(mix + ": " + run.get("unavailable")).isFalse();
                continue;
            }
            ran.add(mix);
            assertThat(run.get("sent").asLong()).as(mix).isEqualTo(300);
            assertThat(run.get("delivered").asLong()).as(mix).isEqualTo(300);
            assertThat(run.get("lost").asLong()).as(mix).isZero();
            assertThat(run.get("duplicates").asLong()).as(mix).isZero();
            assertThat(run.get("mismatches").asLong()).as(mix).isZero();
            assertThat(run.get("drops").size()).as(mix + " drops " + run.get("drops")).isZero();
            for (JsonNode st : run.get("stages")) {
                String impl = st.get("impl").asText();
                if (!impl.equals("sw") && !impl.equals("nic")) { // nic: the NIC port's cycles, below
                    assertThat(st.get("hwCyclesPerPacket").asDouble()).as(mix + " " + st).isGreaterThan(0);
                }
            }
            if (mix.contains("port=")) { // the NIC did what the mix left to it, with no error
                JsonNode nic = run.get("nic");
                assertThat(nic.get("framesOut").asLong()).as(mix + " " + nic).isGreaterThan(0);
                assertThat(nic.get("errors").asLong()).as(mix + " " + nic).isZero();
                assertThat(nic.get("checksumsInserted").asLong() > 0).as(mix + " " + nic)
                        .isEqualTo(mix.contains("checksum=nic"));
                assertThat(nic.get("pspSealed").asLong() > 0).as(mix + " " + nic).isEqualTo(mix.contains("crypto=nic"));
                assertThat(nic.get("pspOpened").asLong()).as(mix + " " + nic).isEqualTo(nic.get("pspSealed").asLong());
            }
        }
        assertThat(ran.getFirst()).isEqualTo("checksum=sw,copy=sw,crypto=sw");
        assertThat(ran.size()).isGreaterThanOrEqualTo(2);
        if (HardwareBackends.rtlRequired()) {
            assertThat(ran).hasSize(11).contains("checksum=emu,copy=emu,crypto=emu",
                    "checksum=rtl-jni,copy=rtl-jni,crypto=rtl-jni", "checksum=rtl-ffm,copy=rtl-ffm,crypto=rtl-ffm",
                    "checksum=rtl-ffm,copy=sw,crypto=sw", "checksum=sw,copy=rtl-ffm,crypto=sw",
                    "checksum=sw,copy=sw,crypto=rtl-ffm", "checksum=sw,copy=sw,crypto=sw,port=emu",
                    "checksum=sw,copy=sw,crypto=sw,port=rtl-jni", "checksum=nic,copy=sw,crypto=nic,port=emu",
                    "checksum=nic,copy=sw,crypto=nic,port=rtl-ffm");
        }
    }

    @Test
    void theHoverboardsCarryEverythingFirstAndTheControllerOffloadsHeavyFlows() {
        JsonNode ref = json.get("runs").get(0);
        JsonNode first = ref.get("intervals").get(0);
        assertThat(first.get("hoverboardShare").asDouble()).as("all inter-host traffic via hoverboards at first")
                .isEqualTo(1.0);
        assertThat(ref.get("offloadFlowsProgrammed").size()).isPositive();
        JsonNode last = ref.get("intervals").get(ref.get("intervals").size() - 1);
        assertThat(last.get("hoverboardShare").asDouble()).isLessThan(1.0);
        assertThat(out).contains("Share of inter-host traffic through the hoverboards", "Offload flows");
    }

    @Test
    void theReportIsAnHtmlPageWithCharts() throws Exception {
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("data:image/png;base64,", "Scoreboard");
        // The all-sw run's stages have no hardware figures: "-" as in the terminal, not 0.0.
        assertThat(html).contains("<td>checksum=sw,copy=sw,crypto=sw</td><td>checksum</td><td>sw</td>")
                .doesNotContainPattern("<td>sw</td><td>\\d+</td><td>[0-9.]+</td><td>0\\.0</td>");
        assertThat(out).contains("HTML report: " + report.resolve("index.html").toAbsolutePath().toUri());
    }

    @Test
    void tsharkDecodesGeneveAndPspWithEveryChecksumValid() throws Exception {
        boolean tshark = new ProcessBuilder("sh", "-c", "command -v tshark").start().waitFor() == 0;
        if (HardwareBackends.rtlRequired() || "true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(tshark).as("tshark must be installed in CI (.ci/run installs it)").isTrue();
        }
        assumeTrue(tshark, "tshark is not installed (sudo apt-get install -y tshark)");
        Path lua = pcap.resolveSibling("psp.lua");
        assertThat(lua).exists();
        List<String> lines = tshark("-X", "lua_script:" + lua, "-r", pcap.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=;", "-e", "frame.protocols", "-e", "geneve.vni", "-e", "psp.spi",
                "-e", "psp.clear.geneve.vni", "-e", "ip.checksum.status", "-e", "udp.checksum.status",
                "-e", "tcp.checksum.status");
        assertThat(lines).isNotEmpty();
        int geneve = 0;
        int psp = 0;
        Set<String> spis = new HashSet<>();
        for (String l : lines) {
            String[] f = l.split(";", -1);
            assertThat(f).as(l).hasSize(7);
            if (f[0].contains(":psp")) {
                psp++;
                spis.add(f[2]);
                assertThat(f[3]).as("the VNI in clear of a PSP frame: %s", l).isEqualTo("200");
            } else {
                assertThat(f[0]).as(l).contains("udp:geneve:eth:ethertype:ip");
                assertThat(f[1]).as(l).isEqualTo("0x000064"); // VNI 100, the plain network
                geneve++;
            }
            for (int k = 4; k < 7; k++) {
                for (String status : f[k].split(",")) {
                    // 0 is Bad; 1 Good, 2 Unverified, 3 Not present (GENEVE's outer UDP checksum is zero)
                    assertThat(status).as("checksum status in %s", l).isNotEqualTo("0");
                }
            }
        }
        assertThat(geneve).isPositive();
        assertThat(psp).isPositive();
        assertThat(spis).as("frames to every host, the hoverboard's too").hasSizeGreaterThanOrEqualTo(2);
        List<String> expert = tshark("-X", "lua_script:" + lua, "-r", pcap.toString(), "-o",
                "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-Y", "_ws.expert.severity >= error || _ws.malformed");
        assertThat(expert).as("frames tshark finds bad or malformed").isEmpty();
    }

    /**
     * tshark's TCP analysis (an independent reading of every inner TCP segment of
     * the GENEVE frames) finds nothing to warn about: each flow opens with a
     * handshake and its sequence numbers advance by its payload. Frames carry the
     * scenario's simulated time: the run's intervals, not the wall-clock run.
     */
    @Test
    void theCaptureIsOneConsistentTcpConversationPerFlowInSimulatedTime() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v tshark").start().waitFor() == 0
                || HardwareBackends.rtlRequired(), "tshark is not installed (sudo apt-get install -y tshark)");
        List<String> expert = tshark("-r", pcap.toString(), "-q", "-z", "expert,warn");
        assertThat(String.join("\n", expert)).as("tshark -z expert,warn on the capture")
                .doesNotContain("Warns (", "Errors (");
        // Every TCP conversation tshark sees starts with its client's SYN.
        List<String> segments = tshark("-r", pcap.toString(), "-Y", "tcp", "-T", "fields", "-E", "separator=;",
                "-e", "tcp.stream", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack");
        assertThat(segments).isNotEmpty();
        Set<String> opened = new HashSet<>();
        for (String l : segments) {
            String[] f = l.split(";", -1);
            if (!opened.contains(f[0])) {
                assertThat(f[1] + f[2]).as("the first segment of TCP stream %s is a SYN: %s", f[0], l)
                        .isEqualTo("10");
                opened.add(f[0]);
            }
        }
        List<String> times = tshark("-r", pcap.toString(), "-T", "fields", "-e", "frame.time_relative");
        double span = Double.parseDouble(times.getLast());
        // --quick: 4 intervals of the built-in scenario's 1 s; the run itself takes well under a second of
        // wall-clock time per interval, so a span of whole intervals is the simulated clock's.
        JsonNode intervals = json.get("runs").get(0).get("intervals");
        assertThat(span).as("capture span in s (frames stamped with simulated time)")
                .isBetween(intervals.size() - 1.0, (double) intervals.size());
    }

    private static List<String> tshark(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("tshark");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void aBadScenarioIsRejectedWithFileLineAndReason() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, SCENARIO.replace("vni: 200", "vni: 100"));
        StringWriter err = new StringWriter();
        var cl = Tb.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("demo", "--scenario", bad.toString(), "--work-dir", dir.resolve("bad").toString());
        assertThat(code).isEqualTo(Tb.EXIT_USAGE);
        assertThat(Unwrap.of(err)).contains("bad.yaml:14:", "duplicate vni 100 (also network 'blue' at line 11)");
    }

    /** Issue 15 point 9: the tables fit the terminal (80 columns without COLUMNS), mixes named short. */
    @Test
    void theTablesFitTheTerminalWithShortMixNamesAndALegend() {
        int width = dev.andromeda.testbed.tb.report.TerminalWidth.get();
        for (String line : out.lines().toList()) {
            // A path or a command to copy stays whole on its line.
            if (!line.contains(dir.toString())) {
                assertThat(line.length()).as("at %d columns: %s", width, line).isLessThanOrEqualTo(width);
            }
        }
        assertThat(out).contains("all sw ", "all emu ", "port=emu ", "port=emu+csum+psp ",
                "(mix: 'all X' = every stage on X;");
        assertThat(out.lines().filter(l -> l.startsWith("all sw ")).count()).as("scoreboard and cost rows")
                .isEqualTo(2);
    }

    @Test
    void helpListsTheCommands() {
        StringWriter s = new StringWriter();
        var cl = Tb.commandLine();
        cl.setOut(new PrintWriter(s));
        assertThat(cl.execute("--help")).isZero();
        assertThat(s.toString()).contains("demo", "offload", "bench", "impls", "test");
    }
}
