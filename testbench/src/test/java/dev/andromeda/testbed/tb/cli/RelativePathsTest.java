package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Unwrap;
import dev.andromeda.testbed.tb.Tb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 point 1: a relative path a user types resolves against the folder they ran tb from
 * (the launcher's {@code -Dtb.user.dir}), not the clone the launcher changes into. Here the
 * user's folder is a temporary one, never the JVM's working directory (testbench/).
 */
@Timeout(120)
class RelativePathsTest {
    private final StringWriter err = new StringWriter();

    @Test
    void offloadReadsAndWritesRelativeFilesInTheUsersFolder(@TempDir Path user) throws Exception {
        // RFC 1071 by hand: the one's-complement sum of 0x0001 and 0x0203 is 0x0204, so 0xfdfb.
        Files.createDirectories(user.resolve("in"));
        Files.writeString(user.resolve("in/jobs.jsonl"), "{\"id\":\"j0\",\"data\":\"00010203\"}\n");
        int[] code = {-1};
        InProcessTb.runIn(user, err, code, "offload", "checksum", "--impl", "sw", "--in", "in/jobs.jsonl",
                "--out", "out/res.jsonl");
        assertThat(code[0]).as(Unwrap.of(err)).isZero();
        assertThat(Files.readString(user.resolve("out/res.jsonl"))).contains("\"id\":\"j0\"", "\"csum\":" + 0xfdfb);
        assertThat(Path.of("out/res.jsonl")).as("nothing in the JVM's working directory").doesNotExist();
    }

    @Test
    void aMissingInputIsNamedWhereItWasLookedFor(@TempDir Path user) {
        int[] code = {-1};
        InProcessTb.runIn(user, err, code, "offload", "checksum", "--impl", "sw", "--in", "nope.jsonl");
        assertThat(code[0]).isEqualTo(Tb.EXIT_USAGE);
        assertThat(Unwrap.of(err).lines().findFirst().orElse("")).isEqualTo("tb: no such file: " + user.resolve("nope.jsonl"));
    }

    @Test
    void controlScaleWritesItsRelativeJsonInTheUsersFolder(@TempDir Path user) throws Exception {
        int[] code = {-1};
        String out = InProcessTb.runIn(user, err, code, "control-scale", "--vms", "200", "--hosts", "10",
                "--program-latency", "0", "--json", "scale.json");
        assertThat(code[0]).as(out + err).isZero();
        assertThat(user.resolve("scale.json")).isNotEmptyFile();
        assertThat(out).contains("JSON written to " + user.resolve("scale.json"));
    }

    @Test
    void demoReadsARelativeScenarioFromTheUsersFolder(@TempDir Path user) throws Exception {
        // A scenario with an unknown key: the refusal names its line, so tb did read this file.
        Files.writeString(user.resolve("s.yaml"), "packts: 10\n");
        int[] code = {-1};
        InProcessTb.runIn(user, err, code, "demo", "--scenario", "s.yaml");
        assertThat(code[0]).isEqualTo(Tb.EXIT_USAGE);
        assertThat(Unwrap.of(err)).startsWith("tb: " + user.resolve("s.yaml") + ":1:").contains("packts");
    }

    /**
     * Every Path option and parameter of every command, found by walking the command tree (so a
     * command added later is covered): a relative value typed there ends up as that value under
     * the user's folder.
     */
    @Test
    void everyPathArgumentOfEveryCommandResolvesAgainstTheUsersFolder(@TempDir Path user) {
        String old = System.getProperty(UserDir.PROPERTY);
        System.setProperty(UserDir.PROPERTY, user.toString());
        try {
            List<String> checked = new ArrayList<>();
            walk(Tb.commandLine(), new ArrayList<>(), checked, user);
            // The ones known today, so a walk that finds nothing cannot pass.
            assertThat(checked).contains("demo --json", "demo --pcap", "demo --report", "demo --scenario",
                    "demo --work-dir", "compare --chart", "offload checksum --wave", "cosim --wave-dir",
                    "control-scale --json", "bench sim --json", "host --data-dir", "zk --data-dir",
                    "cluster --dir", "netctl apply STATE.yaml");
        } finally {
            if (old == null) {
                System.clearProperty(UserDir.PROPERTY);
            } else {
                System.setProperty(UserDir.PROPERTY, old);
            }
        }
    }

    private static void walk(CommandLine cl, List<String> path, List<String> checked, Path user) {
        for (ArgSpec a : cl.getCommandSpec().args()) {
            if (a.type() != Path.class) {
                continue;
            }
            String name = a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
            String typed = "rel/" + name.replace("-", "") + ".x";
            List<String> args = new ArrayList<>(path);
            if (a instanceof OptionSpec o) {
                args.add(o.longestName());
            }
            args.add(typed);
            // A fresh tree per argument; other required options are missing, which picocli finds
            // after it has set the values it parsed.
            CommandLine fresh = Tb.commandLine();
            try {
                fresh.parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException expected) {
                // MissingParameterException for the command's other required options
            }
            CommandSpec spec = find(fresh, path).getCommandSpec();
            ArgSpec same = a instanceof OptionSpec o ? spec.findOption(o.longestName())
                    : spec.positionalParameters().get(cl.getCommandSpec().positionalParameters().indexOf(a));
            String where = String.join(" ", path) + " " + name;
            assertThat((Object) same.getValue()).as(where).isEqualTo(user.resolve(typed));
            checked.add(where);
        }
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getValue().getCommandSpec().name().equals(e.getKey())) {
                continue; // an alias
            }
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            walk(e.getValue(), sub, checked, user);
        }
    }

    private static CommandLine find(CommandLine root, List<String> path) {
        CommandLine at = root;
        for (String p : path) {
            at = at.getSubcommands().get(p);
        }
        return at;
    }
}
