package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.fuzz.FuzzRun;
import dev.andromeda.testbed.tb.fuzz.FuzzTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code tb fuzz}: Jazzer on the packet paths and the control plane, as the suite runs it. */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Coverage-guided fuzzing with Jazzer (libFuzzer for the JVM), in a JVM of its own per target.",
                "Targets: parser (the packet parser on any bytes); receive (a host's receive path: parse,",
                "PSP open, decapsulation, checksum, delivery, on frames a peer sealed and then damaged, and",
                "raw bytes); egress (a host's egress path from a VM's frame, then the peer's receive path);",
                "control (the programming messages a host agent accepts from its controller: fences, whole",
                "programs, deltas). Each checks what must hold besides \"no exception\": every frame",
                "accounted for, no buffer leaked, deliveries byte-exact with the checksum completed, nothing",
                "across networks or through PSP unauthenticated; a reject leaves the host as it was.",
                "The corpus is kept in DIR/<target>/corpus (seeded when empty), findings go to",
                "DIR/<target>/crashes (the input and a Java reproducer), Jazzer's output to",
                "DIR/<target>/last-run.log. Exit status 6 when a target failed.",
                ""})
public final class FuzzCommand implements Callable<Integer> {
    /** Exit status when a target failed (its input and reproducer are named). */
    public static final int EXIT_FOUND = 6;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(s|m|h)?");

    @Option(names = "--target", paramLabel = "T", split = ",",
            description = "Targets to fuzz, one after another: parser, receive, egress, control (default: all).")
    List<String> targets;

    @Option(names = "--duration", paramLabel = "D", defaultValue = "30s",
            description = "How long each target runs: seconds, or with s, m or h (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where corpora and findings are kept (default: ~/.cache/andromeda-testbed/fuzz, "
                    + "or $XDG_CACHE_HOME/andromeda-testbed/fuzz).")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Duration d = parseDuration(spec, duration);
        List<FuzzTarget> chosen = chosen(spec, targets);
        Path root = dir != null ? dir : defaultDir();
        OutputPaths.checkDir(spec, root);
        int status = 0;
        for (FuzzTarget t : chosen) {
            Path at = root.resolve(t.id()).toAbsolutePath();
            System.out.printf(Locale.ROOT, "fuzz %s for %s: %s%n", t.id(), show(d), t.what());
            FuzzRun.Result r = FuzzRun.run(t.id(), t.targetClass(), t.seeds(), d, at, line -> System.err.println("  " + line));
            System.out.println(report(r));
            if (r.found()) {
                status = EXIT_FOUND;
            }
        }
        return status;
    }

    /** The lines a run ends with: what it did, or what it found and where to replay it. */
    public static String report(FuzzRun.Result r) {
        if (!r.found()) {
            return String.format(Locale.ROOT, "  %s: ok, %,d runs, coverage %,d, corpus %,d inputs in %s", r.target(),
                    r.runs(), r.coverage(), r.corpusFiles(), r.corpus());
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %s: FAILED after %,d runs (Jazzer exit %d)",
                r.target(), r.runs(), r.exitCode()));
        if (r.finding() != null) {
            for (String l : r.finding().split("\n")) {
                b.append("\n    ").append(l);
            }
        }
        b.append("\n  input:      ").append(r.crashInput() == null ? "(none written; see the log)" : r.crashInput());
        if (r.reproducer() != null) {
            b.append("\n  reproducer: ").append(r.reproducer());
        }
        b.append("\n  log:        ").append(r.log());
        return b.toString();
    }

    static Duration parseDuration(CommandLine.Model.CommandSpec spec, String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--duration: '" + text + "' is not a duration (e.g. 30, 30s, 2m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--duration: " + text + " is out of range (1 s to 7 days)");
        }
        return d;
    }

    static List<FuzzTarget> chosen(CommandLine.Model.CommandSpec spec, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of(FuzzTarget.values());
        }
        return ids.stream().map(id -> {
            FuzzTarget t = FuzzTarget.byId(id);
            if (t == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--target: unknown target '" + id + "'; known: " + String.join(", ", FuzzTarget.ids()));
            }
            return t;
        }).distinct().toList();
    }

    public static Path defaultDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("andromeda-testbed").resolve("fuzz");
    }

    private static String show(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 && s >= 60 ? s / 60 + " min" : s + " s";
    }
}
