package dev.andromeda.testbed.control.agent;

import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.flow.FlowTable;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control-plane agent on one host: it owns the host's flow state, takes
 * programming updates from controllers and answers each with
 * {@link ApplyResult.Ack} or {@link ApplyResult.Reject}.
 *
 * <p>An update is refused, and the host stays on its last good state, when
 * its controller epoch is older than one already accepted (a deposed
 * controller), when its version is not newer than the running one, or when it
 * does not validate. An accepted update is checkpointed, then published to the
 * dataplane through {@code host.flows().publish} (the shadow-copy swap: the
 * dataplane adopts it between batches).
 *
 * <p><b>Fail static.</b> The agent has no thread, no timer and no connection:
 * nothing here keeps the dataplane going, so when every controller is gone the
 * host simply keeps forwarding on the last program it accepted. A new agent
 * (after a restart) starts from the newest valid checkpoint in its directory
 * and publishes it before any controller speaks; {@link #restoreReport()}
 * says what it found.
 *
 * <p>Thread-safe: updates are serialised; the getters read volatile state.
 */
public final class HostAgent {
    private static final System.Logger LOG = System.getLogger(HostAgent.class.getName());

    private final Host host;
    private final Checkpoints checkpoints;
    private final RestoreReport restoreReport;
    private final EpochFloor fence;
    private volatile FlowProgram program;
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong rejects = new AtomicLong();
    private final AtomicLong checkpointFailures = new AtomicLong();
    private final AtomicLong deposedRefused = new AtomicLong();
    /** The last programs accepted, oldest first, as {version, epoch}: how an operator sees an update applied twice. */
    private final java.util.ArrayDeque<long[]> accepted = new java.util.ArrayDeque<>(); // guarded by this
    private static final int HISTORY = 256;

    /** An agent checkpointing into {@code stateDir}, restored from it. */
    public HostAgent(Host host, Path stateDir) throws IOException {
        this(host, new Checkpoints(stateDir));
    }

    public HostAgent(Host host, Checkpoints checkpoints) {
        this.host = Objects.requireNonNull(host, "host");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.restoreReport = checkpoints.restore();
        FlowProgram restored = restoreReport.program();
        Checkpoints.Floor kept = checkpoints.readEpochFloor();
        // A program newer than the floor file raised the floor itself; who fenced at its epoch is not known.
        this.fence = new EpochFloor(restored.epoch() > kept.epoch() ? new Checkpoints.Floor(restored.epoch(), "") : kept);
        this.program = restored;
        if (restoreReport.restored()) {
            host.flows().publish(restored.toFlowTable()); // validated by the restore
            LOG.log(Level.INFO, "{0}: restored {1} from {2}", host.name(), restored, restoreReport.source());
        }
    }

    /**
     * Applies a complete program from a controller.
     *
     * @return ACK with the version now running, or REJECT with why (the host keeps its state)
     */
    public synchronized ApplyResult apply(FlowProgram update) {
        Objects.requireNonNull(update, "update");
        FlowProgram running = program;
        if (!fence.admits(update.epoch())) {
            deposedRefused.incrementAndGet();
            return reject(ApplyResult.Reason.DEPOSED_EPOCH, "epoch " + update.epoch()
                    + " is older than epoch " + fence.highest() + " already accepted");
        }
        if (update.version() <= running.version()) {
            return reject(ApplyResult.Reason.STALE_VERSION, "version " + update.version()
                    + " is not newer than running version " + running.version());
        }
        FlowTable table;
        try {
            table = update.toFlowTable();
        } catch (IllegalArgumentException e) {
            return reject(ApplyResult.Reason.INVALID, e.getMessage());
        }
        try {
            checkpoints.write(update);
        } catch (IOException e) {
            // The program is valid and the dataplane must not depend on the disk: run it anyway. A restart
            // then comes back on an older checkpoint and reports that version; the controller re-converges.
            checkpointFailures.incrementAndGet();
            LOG.log(Level.ERROR, host.name() + ": checkpoint of version " + update.version() + " failed", e);
        }
        fence.advance(update.epoch(), ""); // a program carries no owner: a master fences before it programs
        if (accepted.size() == HISTORY) {
            accepted.removeFirst();
        }
        accepted.addLast(new long[] {update.version(), update.epoch()});
        program = update;
        host.flows().publish(table);
        acks.incrementAndGet();
        return ApplyResult.ack(update.version());
    }

    /**
     * A master's fence: from now on nothing below {@code epoch} is accepted, and the floor is kept
     * on disk first, so a restart does not lower it. A fence below the floor changes nothing; one
     * equal to it keeps the floor's owner (see {@link #epochOwner()}).
     *
     * @param owner the fencing master's incarnation ({@code VmController.incarnation()}), "" if not known
     * @return the floor now held (at least {@code epoch}; above it when a newer master already fenced)
     */
    public synchronized long raiseEpochFloor(long epoch, String owner) {
        if (epoch > fence.highest()) {
            Checkpoints.Floor next = new Checkpoints.Floor(epoch, owner);
            try {
                checkpoints.writeEpochFloor(next);
            } catch (IOException e) {
                // Refusing the fence would only keep the deposed master's door open: raise it in memory.
                checkpointFailures.incrementAndGet();
                LOG.log(Level.ERROR, host.name() + ": epoch floor " + epoch + " not written to disk", e);
            }
            fence.advance(epoch, next.owner());
            LOG.log(Level.INFO, "{0}: fenced at epoch {1} by {2}", host.name(), epoch,
                    next.owner().isEmpty() ? "an unnamed master" : next.owner());
        }
        return fence.highest();
    }

    /** The epoch floor and its owner, read together (what a hello and a fence answer report). */
    public synchronized Checkpoints.Floor epochFloor() {
        return fence.floor();
    }

    /** The incarnation of the master whose fence set the epoch floor; "" when not known. */
    public synchronized String epochOwner() {
        return fence.owner();
    }

    /** The versions and epochs of the last programs accepted since start, oldest first (at most 256). */
    public synchronized java.util.List<long[]> acceptedHistory() {
        return accepted.stream().map(long[]::clone).toList();
    }

    /** Programs refused because their controller's epoch was below the floor (a deposed master's writes). */
    public long deposedRefused() {
        return deposedRefused.get();
    }

    private ApplyResult reject(ApplyResult.Reason reason, String message) {
        rejects.incrementAndGet();
        LOG.log(Level.WARNING, "{0}: rejected update: {1}: {2}", host.name(), reason, message);
        return ApplyResult.reject(reason, message);
    }

    /** The version the host runs (what it reports to controllers for convergence); 0 when never programmed. */
    public long runningVersion() {
        return program.version();
    }

    /** The highest controller epoch accepted. */
    public synchronized long epoch() {
        return fence.highest();
    }

    /** The program the host runs. */
    public FlowProgram program() {
        return program;
    }

    public Host host() {
        return host;
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /** What the start-up restore found. */
    public RestoreReport restoreReport() {
        return restoreReport;
    }

    public long acks() {
        return acks.get();
    }

    public long rejects() {
        return rejects.get();
    }

    /** Accepted programs whose checkpoint could not be written (they run, but a restart loses them). */
    public long checkpointFailures() {
        return checkpointFailures.get();
    }
}
