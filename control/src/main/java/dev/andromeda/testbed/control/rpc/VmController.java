package dev.andromeda.testbed.control.rpc;

import com.google.protobuf.ByteString;
import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.agent.ProgramDelta;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.rpc.proto.ControllerMessage;
import dev.andromeda.testbed.control.rpc.proto.HostMessage;
import dev.andromeda.testbed.control.rpc.proto.HostProgrammingGrpc;
import dev.andromeda.testbed.control.rpc.proto.Program;
import dev.andromeda.testbed.control.rpc.proto.FlowUsage;
import dev.andromeda.testbed.control.rpc.proto.Miss;
import dev.andromeda.testbed.control.rpc.proto.Usage;
import dev.andromeda.testbed.control.rpc.proto.Reject;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The programming side of a VM controller: a gRPC {@code HostProgramming} server on 127.0.0.1
 * (ephemeral port) that converges each connected host to the {@link FlowProgram} desired for it.
 *
 * <p>Convergence by version: a host reports the version it runs in its hello; the controller
 * sends the desired program, stamped with the controller's epoch, only if that version differs
 * (and it has not already sent it on this stream). A changed desired program is pushed to a
 * connected host at once. The host's ack is its converged version; a reject is recorded (see
 * {@link #lastReject}) and the same program is not sent again until the desired one changes, so a
 * refused update never loops. A reject for {@code DEPOSED_EPOCH} means a newer master exists: the
 * controller then stops sending to everyone ({@link #deposed()}).
 *
 * <p>Only what differs: once a host has acknowledged a program, the next one goes as a
 * {@code ProgramDelta} while the host still runs the acknowledged one (and the delta is smaller);
 * a host that runs something else refuses it ({@code BASE_MISMATCH}) and is sent the whole program.
 * A host whose hello shows it ahead of us -- a newer version, or the same version with other
 * content (its digest), from a previous master -- is reported through {@link HostReports#hostAhead},
 * so the VM controller continues above it instead of sending what the host would refuse or keep.
 *
 * <p>The epoch is a constructor argument or comes from a {@link PartitionElection} through
 * {@link #electionListener()}; while not master ({@link #master()} false) nothing is sent.
 *
 * <p>Thread-safe: all per-host state and every send is under one lock.
 */
public final class VmController implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(VmController.class.getName());

    /** A host's refusal as the controller recorded it. */
    public record Rejection(long version, long epoch, String reason, String message, long hostRunningVersion) {
    }

    private final String name;
    /**
     * This controller object's name in fences, unique across processes and restarts: a host keeps it
     * with its epoch floor, so a master meeting a host fenced at its own epoch by someone else knows
     * the epoch was handed out twice (ZooKeeper's counter went back) instead of writing beside them.
     */
    private final String incarnation;
    private static final java.util.concurrent.atomic.AtomicLong INCARNATIONS = new java.util.concurrent.atomic.AtomicLong();
    private final InetSocketAddress listen;
    private final Server server;
    private final Object lock = new Object();
    private final Map<String, HostState> hosts = new HashMap<>(); // guarded by lock
    private long epoch; // guarded by lock; 0 = not master
    private boolean deposed; // guarded by lock

    /** Per host: what is desired, what the host reported, the open stream. */
    private static final class HostState {
        FlowProgram desired;
        long reportedVersion = -1; // from hello or ack; -1 unknown
        long ackedVersion = -1;
        Session session; // the host's current stream, or null
        long sentVersion = -1; // on the current session
        long sentEpoch = -1;
        Rejection lastReject;
        FlowProgram rejectedDesired; // the desired program a host refused, and at which epoch
        long rejectedEpoch = -1;
        long sends;
        long acks;
        long rejects;
        long hellos;
        long usageSequence; // the last usage report handed to the listener
        long acceptedEpoch; // the epoch floor the host reported (hello, fenced)
        String floorOwner = ""; // the incarnation that set that floor, as the host reported it
        long fencedEpoch = -1; // the epoch the host confirmed it is fenced at, on the current stream
        long misses;
        FlowProgram sentProgram; // as stamped and sent on the current stream
        FlowProgram ackedProgram; // what the host acknowledged, while it still runs it: deltas start here
        long deltasSent;
        long bytesSent;
    }

    /**
     * What hosts report besides acks and rejects, for the VM controller's logic (offload
     * planning, on-demand programming, version continuity). Called on gRPC threads -- one
     * host's messages in order, different hosts' concurrently, so a listener must be
     * thread-safe -- outside this controller's lock, so it may call back into the
     * controller ({@link #setProgram}).
     */
    public interface HostReports {
        /** Bytes per flow the host sent since its previous report. */
        default void usage(String hostId, long sequence, List<FlowUsage> flows) {
        }

        /** A packet on the host found no flow. */
        default void miss(String hostId, int vni, int protocol, int src, int dst) {
        }

        /**
         * The host runs a newer version than this controller would send it (a previous master
         * programmed it): the controller's next program for it must be newer still.
         */
        default void hostAhead(String hostId, long runningVersion) {
        }

        /**
         * The host holds an epoch floor above this controller's epoch: another master fenced it
         * later, or the epoch counter in ZooKeeper went back (its data was lost). Nothing is sent
         * to the host until the controller masters with an epoch above {@code hostEpoch}.
         */
        default void hostEpochAhead(String hostId, long hostEpoch) {
        }
    }

    private volatile HostReports reports = new HostReports() {
    };

    /** Where usage, misses and hosts ahead of us go. */
    public void onReports(HostReports listener) {
        this.reports = Objects.requireNonNull(listener, "listener");
    }

    /** One host stream. */
    private final class Session implements StreamObserver<HostMessage> {
        private final StreamObserver<ControllerMessage> out;
        private String hostId; // set by the hello; guarded by lock
        private boolean done; // guarded by lock

        Session(StreamObserver<ControllerMessage> out) {
            this.out = out;
        }

        @Override
        public void onNext(HostMessage m) {
            Runnable report = null; // handed to the listener once the lock is released
            synchronized (lock) {
                if (done) {
                    return;
                }
                switch (m.getKindCase()) {
                    case HELLO -> {
                        if (m.getHello().getFormat() != HostAgentClient.HELLO_FORMAT) {
                            refuse(this, "hello format " + m.getHello().getFormat() + " from host '"
                                    + m.getHello().getHostId() + "'; this controller reads format "
                                    + HostAgentClient.HELLO_FORMAT);
                            return;
                        }
                        report = hello(this, m.getHello().getHostId(), m.getHello().getRunningVersion(),
                                m.getHello().getAcceptedEpoch(), m.getHello().getEpochOwner(),
                                m.getHello().getProgramDigest().toByteArray());
                    }
                    case FENCED -> {
                        HostState h = stateOf(this);
                        if (h != null) {
                            long floor = m.getFenced().getEpochFloor();
                            if (floor >= h.acceptedEpoch) {
                                h.acceptedEpoch = floor;
                                h.floorOwner = m.getFenced().getFloorOwner();
                            }
                            h.fencedEpoch = floor;
                            if (shutOut(h)) {
                                deposed = true;
                                String id = hostId;
                                sayShutOut(id, h);
                                report = () -> reports.hostEpochAhead(id, floor);
                            } else {
                                converge(h);
                            }
                        }
                    }
                    case USAGE -> {
                        HostState h = stateOf(this);
                        if (h != null) {
                            String id = hostId;
                            Usage u = m.getUsage();
                            report = () -> {
                                reports.usage(id, u.getSequence(), u.getFlowsList());
                                synchronized (lock) {
                                    h.usageSequence = Math.max(h.usageSequence, u.getSequence());
                                }
                            };
                        }
                    }
                    case MISS -> {
                        HostState h = stateOf(this);
                        if (h != null) {
                            h.misses++;
                            String id = hostId;
                            Miss x = m.getMiss();
                            report = () -> reports.miss(id, x.getVni(), x.getProtocol(), x.getSrc(), x.getDst());
                        }
                    }
                    case ACK -> {
                        HostState h = stateOf(this);
                        if (h != null) {
                            h.acks++;
                            h.ackedVersion = m.getAck().getVersion();
                            h.reportedVersion = m.getAck().getVersion();
                            h.ackedProgram = h.sentProgram != null && h.sentProgram.version() == h.ackedVersion
                                    ? h.sentProgram : null;
                        }
                    }
                    case REJECT -> {
                        HostState h = stateOf(this);
                        if (h != null) {
                            report = rejected(h, m.getReject());
                        }
                    }
                    default -> LOG.log(System.Logger.Level.WARNING, "{0}: empty host message", name);
                }
            }
            if (report != null) {
                report.run();
            }
        }

        @Override
        public void onError(Throwable t) {
            end();
        }

        @Override
        public void onCompleted() {
            end();
            try {
                out.onCompleted();
            } catch (RuntimeException ignored) {
                // already cancelled
            }
        }

        private void end() {
            synchronized (lock) {
                done = true;
                HostState h = stateOf(this);
                if (h != null) {
                    h.session = null;
                }
            }
        }
    }

    /** A controller mastering with {@code epoch} (> 0). */
    public VmController(String name, long epoch) throws IOException {
        this(name);
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be > 0: " + epoch);
        }
        this.epoch = epoch;
    }

    /** A controller that is not master until {@link #becomeMaster} (or its {@link #electionListener()}) says so. */
    public VmController(String name) throws IOException {
        this(name, new InetSocketAddress("127.0.0.1", 0));
    }

    /**
     * A controller serving on {@code listen} (port 0: a free one, see {@link #address()}).
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public VmController(String name, InetSocketAddress listen) throws IOException {
        this.name = Objects.requireNonNull(name, "name");
        this.incarnation = name.replaceAll("[^!-~]", "_") + "@" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.currentTimeMillis()) + "-" + INCARNATIONS.incrementAndGet();
        this.listen = Objects.requireNonNull(listen, "listen");
        this.server = NettyServerBuilder.forAddress(listen)
                .addService(new HostProgrammingGrpc.HostProgrammingImplBase() {
                    @Override
                    public StreamObserver<HostMessage> converge(StreamObserver<ControllerMessage> out) {
                        return new Session(out);
                    }
                })
                .build()
                .start();
    }

    /** Where the server listens, with the port it was given when asked for port 0. */
    public InetSocketAddress address() {
        return new InetSocketAddress(listen.getAddress(), server.getPort());
    }

    public String name() {
        return name;
    }

    /** This controller's name in the fences it sends (and in the master address it publishes). */
    public String incarnation() {
        return incarnation;
    }

    /** Starts mastering with {@code newEpoch}; every connected host whose version differs is sent its program. */
    public void becomeMaster(long newEpoch) {
        synchronized (lock) {
            if (newEpoch <= epoch) {
                return;
            }
            epoch = newEpoch;
            deposed = false;
            // Every connected host is fenced before anything else: from here on a deposed master's
            // writes are refused even by hosts this master never has to program.
            hosts.values().forEach(this::fence);
            hosts.values().forEach(this::converge);
        }
    }

    /** Stops sending (the election says another controller is master). */
    public void stepDown() {
        synchronized (lock) {
            deposed = true;
        }
    }

    /** A listener to hand to {@link PartitionElection#join}: mastership sets the epoch, deposition stops sending. */
    public PartitionElection.Listener electionListener() {
        return new PartitionElection.Listener() {
            @Override
            public void onMaster(int partition, long e) {
                becomeMaster(e);
            }

            @Override
            public void onDeposed(int partition, long e) {
                stepDown();
            }
        };
    }

    public long epoch() {
        synchronized (lock) {
            return epoch;
        }
    }

    /** Whether this controller may send: it has an epoch and no sign of a newer master. */
    public boolean master() {
        synchronized (lock) {
            return epoch > 0 && !deposed;
        }
    }

    /** Whether a host refused a program as coming from a deposed epoch, or the election deposed us. */
    public boolean deposed() {
        synchronized (lock) {
            return deposed;
        }
    }

    /**
     * Sets what {@code hostId} should run; sent at once if the host is connected and runs another
     * version. The epoch inside {@code program} is replaced by this controller's when sent.
     */
    public void setProgram(String hostId, FlowProgram program) {
        Objects.requireNonNull(program, "program");
        synchronized (lock) {
            HostState h = hosts.computeIfAbsent(hostId, k -> new HostState());
            h.desired = program;
            converge(h);
        }
    }

    /** The version {@code hostId} last acknowledged, or -1 if none yet. */
    public long convergedVersion(String hostId) {
        synchronized (lock) {
            HostState h = hosts.get(hostId);
            return h == null ? -1 : h.ackedVersion;
        }
    }

    /** The version {@code hostId} last said it runs (hello or ack), or -1 if unknown. */
    public long reportedVersion(String hostId) {
        synchronized (lock) {
            HostState h = hosts.get(hostId);
            return h == null ? -1 : h.reportedVersion;
        }
    }

    /** Whether the host reported running exactly the desired version. */
    public boolean converged(String hostId) {
        synchronized (lock) {
            HostState h = hosts.get(hostId);
            return h != null && h.desired != null && h.reportedVersion == h.desired.version();
        }
    }

    public Optional<Rejection> lastReject(String hostId) {
        synchronized (lock) {
            HostState h = hosts.get(hostId);
            return h == null ? Optional.empty() : Optional.ofNullable(h.lastReject);
        }
    }

    /** Programs sent to {@code hostId}. */
    public long sends(String hostId) {
        return count(hostId, h -> h.sends);
    }

    public long acks(String hostId) {
        return count(hostId, h -> h.acks);
    }

    public long rejects(String hostId) {
        return count(hostId, h -> h.rejects);
    }

    /** Programs sent to {@code hostId} as deltas (only what differed from what it ran). */
    public long deltasSent(String hostId) {
        return count(hostId, h -> h.deltasSent);
    }

    /** Program bytes sent to {@code hostId} (whole programs and deltas). */
    public long bytesSent(String hostId) {
        return count(hostId, h -> h.bytesSent);
    }

    /** The sequence number of the last usage report from {@code hostId} the listener has taken. */
    public long usageSequence(String hostId) {
        return count(hostId, h -> h.usageSequence);
    }

    /** Flow misses {@code hostId} reported. */
    public long misses(String hostId) {
        return count(hostId, h -> h.misses);
    }

    /** The epoch {@code hostId} last confirmed it is fenced at on its current stream, or -1. */
    public long fencedEpoch(String hostId) {
        return count(hostId, h -> h.fencedEpoch);
    }

    /** The highest epoch floor {@code hostId} reported (hello or fence answer). */
    public long hostEpoch(String hostId) {
        return count(hostId, h -> h.acceptedEpoch);
    }

    /** Hellos received from {@code hostId} (one per stream). */
    public long hellos(String hostId) {
        return count(hostId, h -> h.hellos);
    }

    public boolean connected(String hostId) {
        synchronized (lock) {
            HostState h = hosts.get(hostId);
            return h != null && h.session != null;
        }
    }

    private long count(String hostId, java.util.function.ToLongFunction<HostState> f) {
        synchronized (lock) {
            HostState h = hosts.get(hostId);
            return h == null ? 0 : f.applyAsLong(h);
        }
    }

    /** Breaks {@code hostId}'s stream (as a network fault would); the host reconnects. */
    public void disconnect(String hostId) {
        synchronized (lock) {
            HostState h = hosts.get(hostId);
            if (h != null && h.session != null) {
                Session s = h.session;
                s.done = true;
                h.session = null;
                s.out.onError(Status.UNAVAILABLE.withDescription("disconnected by " + name).asRuntimeException());
            }
        }
    }

    // ---- under lock ----

    private HostState stateOf(Session s) {
        if (s.hostId == null) {
            return null;
        }
        HostState h = hosts.get(s.hostId);
        return h != null && h.session == s ? h : null;
    }

    /** Ends a stream the controller will not serve, with the reason as the status the host sees. */
    private void refuse(Session s, String why) {
        s.done = true;
        LOG.log(System.Logger.Level.WARNING, "{0}: refused a host stream: {1}", name, why);
        try {
            s.out.onError(Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException());
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    /** Raises the host's epoch floor to ours before anything else is sent on its stream. */
    private void fence(HostState h) {
        if (h.session == null || epoch <= 0 || deposed || h.fencedEpoch == epoch) {
            return;
        }
        try {
            h.session.out.onNext(ControllerMessage.newBuilder()
                    .setFence(dev.andromeda.testbed.control.rpc.proto.Fence.newBuilder().setEpoch(epoch)
                            .setOwner(incarnation)).build());
        } catch (RuntimeException e) { // cancelled under us; its end clears the session
            LOG.log(System.Logger.Level.DEBUG, "{0}: fence failed: {1}", name, e);
        }
    }

    /**
     * Whether the host's floor shuts this master out: above its epoch (a newer master, or a counter
     * that went back), or equal to it but set by another incarnation (two masters were given the same
     * epoch: the counter went back). Only a higher epoch lets it write again.
     */
    private boolean shutOut(HostState h) {
        return h.acceptedEpoch > epoch || h.acceptedEpoch == epoch && !h.floorOwner.equals(incarnation);
    }

    private void sayShutOut(String hostId, HostState h) {
        if (h.acceptedEpoch > epoch) {
            LOG.log(System.Logger.Level.WARNING, "{0}: host {1} holds epoch {2} above ours ({3}): not writing",
                    name, hostId, h.acceptedEpoch, epoch);
        } else {
            LOG.log(System.Logger.Level.ERROR, "{0}: host {1} was fenced at our epoch {2} by {3}, not by us ({4}): "
                    + "the epoch was handed out twice (ZooKeeper''s counter went back?); not writing", name, hostId,
                    epoch, h.floorOwner.isEmpty() ? "an unnamed master" : h.floorOwner, incarnation);
        }
    }

    private Runnable hello(Session s, String hostId, long runningVersion, long acceptedEpoch, String floorOwner,
                           byte[] runningDigest) {
        if (s.hostId != null || hostId.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: repeated or empty hello ({1})", name, hostId);
            return null;
        }
        s.hostId = hostId;
        HostState h = hosts.computeIfAbsent(hostId, k -> new HostState());
        if (h.session != null && h.session != s) { // the host reconnected before we saw the old stream end
            Session old = h.session;
            old.done = true;
            try {
                old.out.onError(Status.ABORTED.withDescription("replaced by a newer stream").asRuntimeException());
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        h.session = s;
        h.hellos++;
        h.reportedVersion = runningVersion;
        if (h.ackedProgram != null && h.ackedProgram.version() != runningVersion) {
            h.ackedProgram = null; // it runs something else now (a restart, another master): send it whole
        }
        h.sentVersion = -1;
        h.sentEpoch = -1;
        h.fencedEpoch = -1;
        h.acceptedEpoch = acceptedEpoch;
        h.floorOwner = floorOwner;
        if (epoch > 0 && shutOut(h)) {
            // Fenced by a newer master, or our epoch came from a counter that went back: stop writing
            // anywhere and say so; only a new, higher epoch (becomeMaster) lets this controller write again.
            deposed = true;
            sayShutOut(hostId, h);
            return () -> reports.hostEpochAhead(hostId, acceptedEpoch);
        }
        fence(h);
        if (h.desired != null && runningVersion > h.desired.version()) {
            return () -> reports.hostAhead(hostId, runningVersion); // no point sending an older program
        }
        if (h.desired != null && runningVersion == h.desired.version() && runningDigest.length > 0
                && !java.util.Arrays.equals(runningDigest, h.desired.contentDigest())) {
            // The same version number from another master, with other content: continue above it.
            return () -> reports.hostAhead(hostId, runningVersion);
        }
        converge(h);
        return null;
    }

    private Runnable rejected(HostState h, Reject r) {
        h.rejects++;
        h.reportedVersion = r.getRunningVersion();
        if (r.getReason() == dev.andromeda.testbed.control.rpc.proto.RejectReason.BASE_MISMATCH) {
            if (r.getVersion() != h.sentVersion) {
                // An earlier delta's, overtaken by a later send that answers for itself: resending
                // now would send that one twice (the host refused the copy as STALE_VERSION when
                // on-demand misses made versions in quick succession).
                return null;
            }
            // Our idea of what the host runs was wrong: forget it and send the whole program.
            h.ackedProgram = null;
            h.sentVersion = -1;
            converge(h);
            return null;
        }
        h.lastReject = new Rejection(r.getVersion(), r.getEpoch(), r.getReason().name(), r.getMessage(),
                r.getRunningVersion());
        LOG.log(System.Logger.Level.WARNING, "{0}: host {1} rejected version {2} epoch {3}: {4} {5}", name,
                h.session == null ? "?" : h.session.hostId, r.getVersion(), r.getEpoch(), r.getReason(),
                r.getMessage());
        if (h.desired != null && r.getVersion() == h.desired.version()) {
            h.rejectedDesired = h.desired;
            h.rejectedEpoch = r.getEpoch();
        }
        if (r.getReason() == dev.andromeda.testbed.control.rpc.proto.RejectReason.DEPOSED_EPOCH && r.getEpoch() == epoch) {
            deposed = true; // a newer master has programmed this host: stop writing anywhere
        }
        if (r.getReason() == dev.andromeda.testbed.control.rpc.proto.RejectReason.STALE_VERSION
                && h.session != null) {
            String id = h.session.hostId;
            long running = r.getRunningVersion();
            return () -> reports.hostAhead(id, running);
        }
        return null;
    }

    /** Sends the desired program if the host is connected, runs another version, and it was not sent or refused already. */
    private void converge(HostState h) {
        if (h.session == null || h.desired == null || epoch <= 0 || deposed || shutOut(h)) {
            return;
        }
        long v = h.desired.version();
        if (h.reportedVersion == v) {
            return; // converged
        }
        if (h.sentVersion == v && h.sentEpoch == epoch) {
            return; // in flight on this stream
        }
        if (h.rejectedDesired == h.desired && h.rejectedEpoch == epoch) {
            return; // refused before: do not loop; a new desired program clears this
        }
        FlowProgram stamped = h.desired.epoch() == epoch ? h.desired : h.desired.withVersion(v, epoch);
        h.sentVersion = v;
        h.sentEpoch = epoch;
        h.sends++;
        h.sentProgram = stamped;
        Program.Builder p = Program.newBuilder().setVersion(v).setEpoch(epoch);
        byte[] whole = stamped.encode();
        if (h.ackedProgram != null && h.ackedProgram.version() == h.reportedVersion) {
            // The host runs what it acknowledged: send only what differs, when that is smaller.
            ProgramDelta d = ProgramDelta.between(h.ackedProgram, stamped);
            byte[] changed = d.upserts().encode();
            byte[] removed = d.encodeRemoved();
            if (changed.length + removed.length < whole.length) {
                p.setDelta(true).setBaseVersion(d.baseVersion()).setFlowProgram(ByteString.copyFrom(changed))
                        .setRemoved(ByteString.copyFrom(removed));
                h.deltasSent++;
            }
        }
        if (!p.getDelta()) {
            p.setFlowProgram(ByteString.copyFrom(whole));
        }
        h.bytesSent += p.getFlowProgram().size() + p.getRemoved().size();
        try {
            h.session.out.onNext(ControllerMessage.newBuilder().setProgram(p).build());
        } catch (RuntimeException e) { // the stream was cancelled under us; its end clears the session
            LOG.log(System.Logger.Level.DEBUG, "{0}: send failed: {1}", name, e);
        }
    }

    /** Stops the server at once; hosts see their streams break and reconnect elsewhere. */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "VmController[" + name + " " + address() + " epoch " + epoch() + (deposed() ? " deposed" : "") + "]";
    }
}
