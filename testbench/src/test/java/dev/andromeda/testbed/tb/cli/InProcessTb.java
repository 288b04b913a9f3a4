package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Tb;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs {@code tb} in-process as a user types it, for the command-line tests. */
final class InProcessTb {
    private InProcessTb() {
    }

    /**
     * Runs tb with the arguments; returns what it printed on stdout (System.out and picocli's
     * writer), the exit code in {@code code[0]}; what it printed on stderr goes to {@code err}.
     */
    static String run(StringWriter err, int[] code, String... args) {
        return runIn(null, err, code, args);
    }

    /**
     * As {@link #run}, with the user's folder (what the ./tb launcher passes as {@code
     * -Dtb.user.dir}) set to {@code userDir} for the run; null leaves it unset.
     */
    static String runIn(java.nio.file.Path userDir, StringWriter err, int[] code, String... args) {
        String oldDir = System.getProperty(UserDir.PROPERTY);
        if (userDir != null) {
            System.setProperty(UserDir.PROPERTY, userDir.toString());
        }
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            picocli.CommandLine cl = Tb.commandLine();
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            code[0] = cl.execute(args);
            return buf.toString(StandardCharsets.UTF_8) + out;
        } finally {
            System.setOut(old);
            if (oldDir == null) {
                System.clearProperty(UserDir.PROPERTY);
            } else {
                System.setProperty(UserDir.PROPERTY, oldDir);
            }
        }
    }
}
