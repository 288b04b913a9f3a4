package dev.andromeda.testbed.tb.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The last desired state a host read from ZooKeeper, kept beside its checkpoints: where its VMs
 * are and what its peers' PSP keys are derived from, for a host restarted while ZooKeeper is
 * slow to answer. (The flows themselves come from the agent's checkpoint.)
 */
final class CachedState {
    static final String FILE = "desired-state";

    private CachedState() {
    }

    /** The cached state, or null when there is none or it cannot be read (then ZooKeeper's is waited for). */
    static DesiredState read(Path dir) {
        try {
            Path f = dir.resolve(FILE);
            return Files.exists(f) ? DesiredState.decode(Files.readAllBytes(f)) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static void write(Path dir, DesiredState s) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, s.encode());
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
