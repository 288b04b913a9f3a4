package dev.andromeda.testbed.tb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Builds the repository's Dockerfile and runs the image's {@code tb}.
 *
 * <p>The build stage runs the whole suite ({@code ./tb test}), so this takes minutes on
 * a fresh Docker cache. Without a Docker engine (these machines have none) the class
 * is skipped; {@code /work/shared/tools/docker-check.sh} checks the Dockerfile there.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerImageTest {

    /** Surefire runs with the module directory (testbench/) as working directory. */
    private static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void imageRunsTheLauncherAndListsItsCommands() {
        Path dockerfile = REPO_ROOT.resolve("Dockerfile");
        assertThat(dockerfile).as("repo root seen from %s", Path.of("").toAbsolutePath()).exists();
        assertThat(Files.exists(REPO_ROOT.resolve(".dockerignore"))).as(".dockerignore at the repo root").isTrue();

        // Kept after the run (deleteOnExit=false) so a rerun reuses the layer cache.
        ImageFromDockerfile image = new ImageFromDockerfile("andromeda-testbed-test", false)
                .withFileFromPath(".", REPO_ROOT)
                // withDockerfile(Path) makes docker-java tar the context from the Dockerfile's
                // directory itself, honouring .dockerignore (no target/ or .git sent).
                .withDockerfile(dockerfile);

        try (GenericContainer<?> tb = new GenericContainer<>(image)
                .withCommand("--help")
                // The image build happens before this clock starts; this bounds the run only.
                .withStartupCheckStrategy(
                        new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(5)))) {
            tb.start(); // throws unless the container exits with status 0

            String logs = tb.getLogs();
            assertThat(logs).as("tb --help in the image").contains("demo").contains("offload");
        }
    }
}
