package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.DemoCommandTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 point 9: a refusal fits 80 columns (the width without COLUMNS, as in a pipe or a log).
 * Bad input to every kind of command -- options, files, scenario and job-file validation -- and
 * every line tb prints for it, on stdout and stderr, is at most 80 columns; each is refused
 * (non-zero exit) without a stack trace, and the words of a wrapped message are all there.
 */
@Timeout(300)
class ErrorLinesFitTest {
    private static final String SCENARIO = DemoCommandTest.SCENARIO;

    @Test
    void everyLineOfEveryRefusalFitsEightyColumns(@TempDir Path tmp) throws Exception {
        Path scenario = Files.writeString(tmp.resolve("s.yaml"), SCENARIO);
        Path dupVni = Files.writeString(tmp.resolve("dup.yaml"), SCENARIO.replace("vni: 200",
                "vni: 100"));
        Path unknownKey = Files.writeString(tmp.resolve("key.yaml"), SCENARIO.replace("seed: 11",
                "sead: 11"));
        Path badModel = Files.writeString(tmp.resolve("model.yaml"), SCENARIO.replace(
                "model: hoverboard", "model: openflow-reactive"));
        Path noHoverboard = Files.writeString(tmp.resolve("nohb.yaml"), SCENARIO.replace(
                "hoverboards: 1", "hoverboards: 0").replace("model: hoverboard", "model: on-demand"));
        Path jobs = Files.writeString(tmp.resolve("jobs.jsonl"), """
                {"id":"a","data":"00112233","start":0}
                {"id":"b","data":"zz","start":0}
                {"id":"c","data":"0011","start":9}
                {"id":"d","data":"0011","start":0,"colour":"red"}
                """);
        Path copyJobs = Files.writeString(tmp.resolve("copy.jsonl"), """
                {"id":"c1","data":"00112233","srcOffset":0,"dstOffset":0}
                {"id":"c2","data":"0011","srcOffset":64,"dstOffset":0}
                """);
        Path binary = Files.write(tmp.resolve("binary.jsonl"), new byte[] {(byte) 0xC3, 0x28, 0, 1, 2});
        Path plain = Files.writeString(tmp.resolve("plain.txt"), "x");
        String[][] cases = {
                {"demo", "--scenario", tmp.resolve("missing.yaml").toString()},
                {"demo", "--scenario", dupVni.toString()},
                {"demo", "--scenario", unknownKey.toString()},
                {"demo", "--scenario", badModel.toString()},
                {"demo", "--scenario", noHoverboard.toString()},
                {"demo", "--scenario", scenario.toString(), "--packets", "-5"},
                {"demo", "--quik"},
                {"demo", "--json", "/proc/nope/x.json"},
                {"demo", "--report", plain.toString()},
                {"offload", "checksum", "--impl", "nope", "--in", jobs.toString()},
                {"offload", "checksum", "--impl", "sw", "--in", tmp.toString()},
                {"offload", "checksum", "--impl", "sw", "--in", binary.toString()},
                {"offload", "checksum", "--impl", "sw", "--in", jobs.toString(), "--out",
                        tmp.resolve("r.jsonl").toString()},
                {"offload", "checksum", "--impl", "emu", "--in", jobs.toString(), "--out",
                        tmp.resolve("r2.jsonl").toString(), "--idle", "1.5"},
                {"offload", "copy", "--impl", "emu", "--in", copyJobs.toString(), "--out",
                        tmp.resolve("c.jsonl").toString()},
                {"offload", "copy", "--impl", "emu", "--in", copyJobs.toString(), "--mem-latency", "-1"},
                {"offload", "gcm", "--impl", "sw", "--in", tmp.resolve("none.jsonl").toString()},
                {"compare", "--stage", "nope"},
                {"compare", "--sizes", "0,99999"},
                {"compare", "--json", "/proc/nope/x.json"},
                {"cosim", "--block", "nic"},
                {"bench", "sim", "--blocks", "nic"},
                {"bench", "sim", "--backends", "verilog"},
                {"bench", "fastpath", "--json", "/proc/nope/x.json"},
                {"control-scale", "--vms", "10", "--hosts", "20"},
                {"control-scale", "--hosts", "99999999"},
                {"control-scale", "--model", "openflow"},
                {"control-scale", "--mode", "counted", "--vms", "2000000000"},
                {"control-scale", "--json", plain + "/x.json"},
                {"fuzz", "--target", "nope"},
                {"fuzz", "--duration", "-3s"},
                {"sim", "--manifest", tmp.resolve("missing.yaml").toString(), "--impl", "rtl-ffm", "--in",
                        jobs.toString()},
                {"rtl", "build", "--top", "nope", "--src", tmp.resolve("missing.sv").toString()},
                {"paper", "--json", "/proc/nope/x.json"},
                {"netctl", "--zk", "127.0.0.1:1", "apply", tmp.resolve("missing.yaml").toString()},
                {"help", "nonsense"},
        };
        List<String> tooWide = new ArrayList<>();
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            int[] code = {-1};
            String out = InProcessTb.run(err, code, c);
            String all = out + err;
            String what = String.join(" ", c);
            assertThat(code[0]).as("%s%n%s", what, all).isNotZero();
            assertThat(all).as(what).doesNotContain("\tat ", "Exception:");
            assertThat(all.strip()).as(what).isNotEmpty();
            for (String line : all.lines().toList()) {
                if (line.length() > 80) {
                    tooWide.add(line.length() + " columns, from tb " + what + ":\n" + line);
                }
            }
        }
        assertThat(tooWide).as("lines over 80 columns").isEmpty();
    }

    /**
     * {@code tb impls} names the crypto engine's library and version (or the cause a backend cannot
     * load) after the implementation: 87 columns with OpenSSL 3.0. Wrapped under the description.
     */
    @Test
    void implsFitsEightyColumns() {
        StringWriter err = new StringWriter();
        int[] code = {-1};
        String out = InProcessTb.run(err, code, "impls");
        assertThat(code[0]).as(out + err).isZero();
        assertThat(out).contains("crypto stage", "hardware backends:");
        assertThat(out.lines()).as(out).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
    }
}
