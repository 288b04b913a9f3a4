package dev.andromeda.testbed.tb.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Jazzer run of one target, in a JVM of its own: Jazzer instruments the testbed's classes with
 * an agent and owns the process (libFuzzer exits on a finding), so tb starts it as a child on tb's
 * own class path and reads its output.
 *
 * <p>Under {@code dir}: {@code corpus/} (kept between runs, seeded when empty; every input that
 * reached new code is added), {@code crashes/} (a finding's input, {@code crash-<sha1>}, and a
 * Java reproducer, {@code Crash_<sha1>.java}) and {@code last-run.log} (Jazzer's whole output).
 */
public final class FuzzRun {
    private static final Pattern STATUS = Pattern.compile("^#(\\d+)\\s+\\S+.*?cov: (\\d+).*?corp: (\\d+)");
    private static final Pattern DONE = Pattern.compile("^Done (\\d+) runs in (\\d+) second");
    private static final Pattern UNIT = Pattern.compile("Test unit written to (\\S+)");
    private static final Pattern REPRODUCER = Pattern.compile("Java reproducer written to (\\S+)");

    /**
     * @param runs        inputs executed
     * @param coverage    libFuzzer's coverage counter at the end (edges reached)
     * @param crashInput  the input that failed, or null
     * @param reproducer  the Java reproducer Jazzer wrote for it, or null
     * @param finding     the first lines of what failed ("== Java Exception: ..."), or null
     */
    /** @param fuzzedSeconds the time libFuzzer says it fuzzed for ("Done N runs in S second(s)"), -1 if unsaid */
    public record Result(String target, int exitCode, long runs, long coverage, int corpusFiles, Path corpus,
                         Path crashInput, Path reproducer, String finding, Path log, long fuzzedSeconds) {
        public boolean found() {
            return exitCode != 0 || crashInput != null;
        }
    }

    private FuzzRun() {
    }

    /**
     * Fuzzes {@code targetClass} for {@code duration} with its corpus and findings under {@code dir}.
     *
     * @param progress gets a line about every ten seconds (runs, coverage, corpus)
     */
    public static Result run(String id, String targetClass, List<byte[]> seeds, Duration duration, Path dir,
                             Consumer<String> progress) throws IOException, InterruptedException {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Path crashes = Files.createDirectories(dir.resolve("crashes"));
        Path log = dir.resolve("last-run.log");
        if (isEmpty(corpus)) {
            for (int i = 0; i < seeds.size(); i++) {
                Files.write(corpus.resolve("seed-" + i), seeds.get(i));
            }
        }
        long seconds = Math.max(1, duration.toSeconds());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Xss4m", "-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-XX:-OmitStackTraceInFastThrow",
                "-cp", System.getProperty("java.class.path"),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + targetClass,
                "--instrumentation_includes=dev.andromeda.testbed.**",
                "--reproducer_path=" + crashes,
                "-artifact_prefix=" + crashes + "/",
                "-max_total_time=" + seconds,
                "-timeout=60",
                "-rss_limit_mb=3072",
                "-print_final_stats=1",
                corpus.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long runs = 0;
        long coverage = 0;
        long fuzzedSeconds = -1;
        Path unit = null;
        Path reproducer = null;
        StringBuilder finding = null;
        long started = System.nanoTime();
        long lastReport = started;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            out.println("# " + String.join(" ", cmd));
            for (String line; (line = in.readLine()) != null; ) {
                out.println(line);
                Matcher m;
                if ((m = STATUS.matcher(line)).find()) {
                    runs = Long.parseLong(m.group(1));
                    coverage = Long.parseLong(m.group(2));
                } else if ((m = DONE.matcher(line)).find()) {
                    runs = Long.parseLong(m.group(1));
                    fuzzedSeconds = Long.parseLong(m.group(2));
                } else if ((m = UNIT.matcher(line)).find()) {
                    // libFuzzer also writes the slowest input (slow-unit-*) when one took over 10 s:
                    // on a loaded machine the first one does (class loading); not a finding.
                    Path written = Path.of(m.group(1)).toAbsolutePath();
                    if (!written.getFileName().toString().startsWith("slow-unit-")) {
                        unit = written;
                    }
                } else if ((m = REPRODUCER.matcher(line)).find()) {
                    reproducer = Path.of(m.group(1)).toAbsolutePath();
                } else if (line.startsWith("== Java Exception:") || line.contains("ERROR: libFuzzer:")) {
                    finding = new StringBuilder(line.strip());
                } else if (finding != null && finding.chars().filter(c -> c == '\n').count() < 3
                        && line.startsWith("\tat ")) {
                    finding.append('\n').append(line.strip());
                }
                long now = System.nanoTime();
                if (progress != null && now - lastReport >= TimeUnit.SECONDS.toNanos(10)) {
                    lastReport = now;
                    progress.accept(String.format(Locale.ROOT, "%s: %d s, %,d runs, coverage %,d, corpus %,d", id,
                            TimeUnit.NANOSECONDS.toSeconds(now - started), runs, coverage, count(corpus)));
                }
            }
        } finally {
            if (!p.waitFor(seconds + 120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        int code = p.waitFor();
        return new Result(id, code, runs, coverage, count(corpus), corpus, unit, reproducer,
                finding == null ? null : finding.toString(), log, fuzzedSeconds);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static int count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
