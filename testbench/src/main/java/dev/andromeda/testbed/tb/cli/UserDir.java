package dev.andromeda.testbed.tb.cli;

import picocli.CommandLine;

import java.nio.file.Path;

/**
 * The folder the user ran {@code tb} from: every relative path a user types ({@code --in},
 * {@code --json}, {@code --scenario}, a state file...) resolves against it (issue 15).
 *
 * <p>The {@code ./tb} launcher changes into the clone before it starts the JVM (the jars are
 * there, and so are the default scratch folders under {@code target/}), so the JVM's working
 * directory is the clone, not the user's folder; the launcher passes the user's folder as
 * {@code -Dtb.user.dir}. Run any other way ({@code java -cp}, in-process tests) the property is
 * absent and the JVM's working directory is the user's folder.
 */
public final class UserDir {
    /** The system property the launcher sets to the folder it was run from. */
    public static final String PROPERTY = "tb.user.dir";

    private UserDir() {
    }

    /** The user's folder, absolute. */
    public static Path get() {
        String dir = System.getProperty(PROPERTY);
        return Path.of(dir != null && !dir.isEmpty() ? dir : System.getProperty("user.dir")).toAbsolutePath();
    }

    /** A path as the user typed it, made absolute against {@link #get()} (an absolute one is kept). */
    public static Path resolve(String typed) {
        return get().resolve(typed);
    }

    /**
     * A default location the user did not type (the scratch folders under {@code target/}): it
     * stays where the JVM runs, in the clone under the launcher, so a run from the user's folder
     * does not leave a {@code target/} there.
     */
    public static Path scratch(String relative) {
        return Path.of(relative).toAbsolutePath();
    }

    /**
     * Makes every {@code Path} option and parameter of {@code cl} and its subcommands resolve
     * against {@link #get()}: one converter, so no command can forget. Picocli converts an
     * option's {@code defaultValue} with it too, which is why the scratch defaults are set in
     * code with {@link #scratch} instead.
     */
    public static void install(CommandLine cl) {
        cl.registerConverter(Path.class, UserDir::resolve);
    }
}
