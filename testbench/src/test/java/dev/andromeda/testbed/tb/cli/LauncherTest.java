package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Unwrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code ./tb} script, run as a user runs it: from a folder outside the clone.
 *
 * <p>The tests run before Maven packages testbench.jar, so the script runs from a copy of the
 * clone's layout: the script itself, copied unchanged, and a testbench/target/testbench.jar
 * whose manifest class path names the classes and jars this test runs with. TB_NO_BUILD=1
 * keeps the script from building that copy.
 */
@Timeout(180)
class LauncherTest {
    /** Surefire runs with the module directory (testbench/) as working directory. */
    private static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();

    record Run(int code, String out, String err) {
    }

    /** Lays out a clone at {@code clone}: the tb script and a testbench.jar pointing at this test's class path. */
    private static Path cloneAt(Path clone) throws IOException {
        Path script = Files.copy(REPO_ROOT.resolve("tb"), Files.createDirectories(clone).resolve("tb"));
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Files.copy(REPO_ROOT.resolve(".mvn/jdk.sh"), Files.createDirectories(clone.resolve(".mvn")).resolve("jdk.sh"));
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                // A directory's URI ends in '/', which the manifest needs to read it as a directory.
                classPath.append(Path.of(entry).toAbsolutePath().toUri()).append(' ');
            }
        }
        assertThat(classPath).as("this test's class path").contains("picocli");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().strip());
        Path jar = Files.createDirectories(clone.resolve("testbench/target")).resolve("testbench.jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            j.flush();
        }
        return script;
    }

    private static Run run(Path script, Path from, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).directory(from.toFile());
        b.environment().put("TB_NO_BUILD", "1");
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        b.environment().remove("JAVA_OPTS");
        b.environment().putAll(env);
        Path out = Files.createTempFile("launcher-out", ".txt");
        Path err = Files.createTempFile("launcher-err", ".txt");
        Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("tb %s finished", String.join(" ", args)).isTrue();
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void aRelativeJsonLandsInTheFolderTbWasRunFrom(@TempDir Path tmp) throws Exception {
        cloneAt(tmp.resolve("clone"));
        Path user = Files.createDirectories(tmp.resolve("user"));
        // Run as ../clone/tb, the relative form a user types too.
        Run r = run(Path.of("..", "clone", "tb"), user, Map.of(), "control-scale", "--mode", "counted", "--vms", "200", "--hosts", "10",
                "--program-latency", "0", "--json", "out/scale.json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(user.resolve("out/scale.json")).isNotEmptyFile();
        assertThat(tmp.resolve("clone/out")).as("nothing written in the clone").doesNotExist();
        assertThat(r.out()).contains("JSON written to " + user.toRealPath().resolve("out/scale.json"));
    }

    /**
     * JAVA_OPTS reaches the JVM, and control-scale's heap estimate holds against a real heap: a
     * run just inside what it accepts under -Xmx256m completes (an estimate too low would end in
     * an OutOfMemoryError), one beyond it is refused with the flag to raise, and with that flag it runs.
     */
    @Test
    void controlScaleSizesAreCheckedAgainstTheHeapJavaOptsGives(@TempDir Path tmp) throws Exception {
        Path script = cloneAt(tmp.resolve("clone"));
        Map<String, String> small = Map.of("JAVA_OPTS", "-Xmx256m", "COLUMNS", "80");
        // 256 MB over (a VM + a tenth of a host), less 5 %: the largest network of ten VMs a host accepted.
        int inside = (int) (0.95 * (256L << 20) / (dev.andromeda.testbed.control.programming.ScaleRun.BYTES_PER_VM
                + dev.andromeda.testbed.control.programming.ScaleRun.BYTES_PER_HOST / 10.0));
        Run ok = run(script, tmp, small, "control-scale", "--mode", "counted", "--vms", "" + inside, "--hosts", "" + inside / 10,
                "--program-latency", "0");
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains(String.format("hoverboard: %,d VMs", inside));
        for (String line : ok.out().lines().toList()) {
            assertThat(line.length()).as("COLUMNS=80: %s", line).isLessThanOrEqualTo(80);
        }

        Run refused = run(script, tmp, small, "control-scale", "--mode", "counted", "--vms", "400000", "--hosts", "40000",
                "--program-latency", "0");
        assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(1);
        // One message, wrapped at 80 columns (issue 15 point 9).
        assertThat(Unwrap.of(refused.err()).lines().toList()).as(refused.err()).hasSize(1);
        assertThat(refused.err().lines().toList()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(Unwrap.of(refused.err())).contains("this JVM has 256 MB", "JAVA_OPTS=-Xmx1g")
                .doesNotContain("Exception");
        assertThat(refused.out()).isEmpty();

        Run raised = run(script, tmp, Map.of("JAVA_OPTS", "-Xmx1g"), "control-scale", "--mode", "counted", "--vms", "400000",
                "--hosts", "40000", "--program-latency", "0");
        assertThat(raised.code()).as(raised.out() + raised.err()).isZero();
        assertThat(raised.out()).contains("hoverboard: 400,000 VMs");
    }

    @Test
    void helpFollowsColumnsAndIsEightyWideWithout(@TempDir Path tmp) throws Exception {
        Path script = cloneAt(tmp.resolve("clone"));
        // Not a terminal here: without COLUMNS the launcher asks nobody, and tb takes 80.
        for (String columns : new String[] {null, "80", "132"}) {
            Map<String, String> env = new java.util.HashMap<>();
            if (columns != null) {
                env.put("COLUMNS", columns);
            }
            Run r = runWithout(script, tmp, env, "control-scale", "--help");
            assertThat(r.code()).as(r.err()).isZero();
            int widest = r.out().lines().mapToInt(String::length).max().orElse(0);
            int width = columns == null ? 80 : Integer.parseInt(columns);
            assertThat(widest).as("COLUMNS=%s:%n%s", columns, r.out()).isLessThanOrEqualTo(width)
                    .isGreaterThan(width - 15);
        }
    }

    /**
     * README's Maven commands ({@code JAZZER_FUZZ=1 ./mvnw -pl fastpath test ...}) need no JAVA_HOME
     * by hand: ./mvnw finds JDK 25 as ./tb does. Here JAVA_HOME names a Java 17 (a fake one that
     * only answers the version question) and TB_JVM_DIR holds this test's JDK: both scripts must
     * pass over the first and run on the second. Without the search, mvnw runs the fake java.
     */
    @Test
    void mvnwAndTbFindJdk25PastAnOlderJavaHome(@TempDir Path tmp) throws Exception {
        Path tb = cloneAt(tmp.resolve("clone"));
        Path clone = tmp.resolve("clone");
        Files.copy(REPO_ROOT.resolve("mvnw"), clone.resolve("mvnw")).toFile().setExecutable(true);
        Files.copy(REPO_ROOT.resolve(".mvn/wrapper/maven-wrapper.properties"),
                Files.createDirectories(clone.resolve(".mvn/wrapper")).resolve("maven-wrapper.properties"));
        Path old = Files.createDirectories(tmp.resolve("jdk-17/bin"));
        for (String tool : new String[] {"java", "javac"}) {
            Path fake = old.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\necho '    java.specification.version = 17' >&2\necho fake-java-17\n");
            assertThat(fake.toFile().setExecutable(true)).isTrue();
        }
        Path jvms = Files.createDirectories(tmp.resolve("jvm"));
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        Path link = Files.createSymbolicLink(jvms.resolve("this-jdk"), home);
        Path user = Files.createDirectories(tmp.resolve("user"));
        Map<String, String> env = Map.of("JAVA_HOME", old.getParent().toString(), "TB_JVM_DIR", jvms.toString());

        Run mvn = run(clone.resolve("mvnw"), user, env, "--version");
        assertThat(mvn.code()).as(mvn.out() + mvn.err()).isZero();
        assertThat(mvn.out()).as(mvn.out() + mvn.err()).contains("Java version: " + Runtime.version().feature())
                .doesNotContain("fake-java-17");
        assertThat(mvn.err()).contains("mvnw: JAVA_HOME=" + old.getParent() + " is Java 17");

        Run t = run(tb, user, env, "--version");
        assertThat(t.code()).as(t.out() + t.err()).isZero();
        assertThat(t.err()).contains("tb: JAVA_HOME=" + old.getParent() + " is Java 17");

        Run none = run(clone.resolve("mvnw"), user, Map.of("JAVA_HOME", old.getParent().toString(),
                "TB_JVM_DIR", tmp.resolve("empty").toString()), "--version");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("mvnw: no JDK >= 25 found");
        Files.delete(link); // JUnit would warn about a link to outside its folder
    }

    /** As {@link #run}, with COLUMNS removed from the environment unless {@code env} sets it. */
    private static Run runWithout(Path script, Path from, Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("COLUMNS", "");
        return run(script, from, all, args);
    }
}
