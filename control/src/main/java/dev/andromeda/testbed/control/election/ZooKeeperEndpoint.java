package dev.andromeda.testbed.control.election;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the control plane finds ZooKeeper: an in-process single-node server (the default, nothing
 * to install) or an external ensemble given by its connect string. Closing an embedded endpoint
 * stops the server; closing an external one does nothing.
 */
public interface ZooKeeperEndpoint extends AutoCloseable {

    /** The connect string clients use, e.g. {@code 127.0.0.1:40123}. */
    String connectString();

    /** {@code true} when this process runs the server. */
    boolean embedded();

    @Override
    void close();

    /** Starts a single-node ZooKeeper on 127.0.0.1 with its data under {@code dataDir}. */
    static ZooKeeperEndpoint embedded(Path dataDir) {
        return EmbeddedZooKeeper.start(dataDir);
    }

    /** An external ensemble, e.g. {@code zk1:2181,zk2:2181,zk3:2181}. */
    static ZooKeeperEndpoint external(String connectString) {
        Objects.requireNonNull(connectString, "connectString");
        if (connectString.isBlank()) {
            throw new IllegalArgumentException("empty ZooKeeper connect string");
        }
        return new External(connectString.strip());
    }

    /**
     * External when {@code connectString} is non-null and non-blank, otherwise embedded with its
     * data under {@code dataDir}.
     */
    static ZooKeeperEndpoint of(String connectString, Path dataDir) {
        return connectString == null || connectString.isBlank()
                ? embedded(dataDir)
                : external(connectString);
    }

    /** An ensemble someone else runs. */
    record External(String connectString) implements ZooKeeperEndpoint {
        @Override
        public boolean embedded() {
            return false;
        }

        @Override
        public void close() {
            // not ours to stop
        }
    }
}
