package dev.andromeda.testbed.control;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One host agent's surroundings for the control plane's tests (register it with
 * {@code @RegisterExtension}): a host (host A of {@link TwoHosts}), its agent over a checkpoint
 * directory, its client to a controller, and whatever else a test opens ({@link #track}) --
 * all closed after each test, in the reverse order of opening, every one even if another fails.
 */
public final class AgentFixture implements AfterEachCallback {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Set<Host> closedHosts = Collections.newSetFromMap(new IdentityHashMap<>());
    private final String hostId;

    /** Hosts say hello as {@code hostId}. */
    public AgentFixture(String hostId) {
        this.hostId = hostId;
    }

    public String hostId() {
        return hostId;
    }

    /** Closes {@code c} after the test (before what was tracked earlier). */
    public <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** Host A (64 buffers of 2 KiB, software stages), closed after the test unless {@link #closeHost} did. */
    public Host newHost() {
        Host h = new Host(hostId, TwoHosts.A_IP, TwoHosts.A_MAC, 64, 2048, StageMix.software(), OffloadOptions.defaults());
        track(() -> closeHost(h));
        return h;
    }

    /** Closes a host now (a crash or a stop); Host.close is not idempotent, so each is closed once. */
    public void closeHost(Host h) {
        if (closedHosts.add(h)) {
            h.close();
        }
    }

    /** An agent on a new host, restored from (and checkpointing into) {@code state}: a restart when it exists. */
    public HostAgent agent(Path state) throws IOException {
        return new HostAgent(newHost(), state);
    }

    /** A started client of {@code agent} to the controller at {@code controller} (fast reconnects: 20..200 ms). */
    public HostAgentClient client(HostAgent agent, InetSocketAddress controller) {
        return track(new HostAgentClient(agent, hostId, controller, Duration.ofMillis(20), Duration.ofMillis(200)))
                .start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
