package dev.andromeda.testbed.control.rpc;

import com.google.protobuf.ByteString;
import dev.andromeda.testbed.control.agent.ApplyResult;
import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.agent.ProgramDelta;
import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.rpc.proto.Ack;
import dev.andromeda.testbed.control.rpc.proto.ControllerMessage;
import dev.andromeda.testbed.control.rpc.proto.Fenced;
import dev.andromeda.testbed.control.rpc.proto.FlowUsage;
import dev.andromeda.testbed.control.rpc.proto.Hello;
import dev.andromeda.testbed.control.rpc.proto.Miss;
import dev.andromeda.testbed.control.rpc.proto.Usage;
import dev.andromeda.testbed.control.rpc.proto.HostMessage;
import dev.andromeda.testbed.control.rpc.proto.HostProgrammingGrpc;
import dev.andromeda.testbed.control.rpc.proto.Program;
import dev.andromeda.testbed.control.rpc.proto.Reject;
import dev.andromeda.testbed.control.rpc.proto.RejectReason;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's end of {@code HostProgramming.Converge}: keeps one stream open to the controller it
 * is pointed at, says hello with {@link HostAgent#runningVersion()}, applies every program that
 * arrives through its {@link HostAgent} and answers with an ack or a reject.
 *
 * <p>When the stream breaks (controller gone, network fault) it reconnects with exponential
 * backoff (from {@code minBackoff}, doubling up to {@code maxBackoff}, reset by a successful
 * stream); the hello on the new stream lets the controller repair what differs. {@link #retarget}
 * points it at another controller (failover). Fail static: nothing here touches the dataplane
 * when controllers are gone; the agent keeps its last good program.
 *
 * <p>Thread-safe. Stream callbacks of an older stream are ignored.
 */
public final class HostAgentClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HostAgentClient.class.getName());

    /** The hello's format this client writes (and {@link VmController} reads). */
    public static final int HELLO_FORMAT = 1;

    private final HostAgent agent;
    private final String hostId;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService timer;
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong programsReceived = new AtomicLong();
    private final AtomicLong reportsSent = new AtomicLong();
    private final AtomicLong reportsDropped = new AtomicLong();

    private final Object lock = new Object();
    private InetSocketAddress target; // guarded by lock
    private ManagedChannel channel; // guarded by lock
    private StreamObserver<HostMessage> out; // guarded by lock
    private long generation; // guarded by lock: bumped per stream
    private long backoffMillis; // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * The largest message the client takes from the controller: 1 GiB. gRPC's default, 4 MiB,
     * refuses a whole program above about 160,000 flows (about 25 bytes a flow), which a
     * hoverboard's program (a route per VM) passes in a 40,000-VM network with offload flows.
     */
    public static final int DEFAULT_MAX_INBOUND_BYTES = 1 << 30;

    private volatile int maxInboundBytes = DEFAULT_MAX_INBOUND_BYTES;

    public HostAgentClient(HostAgent agent, String hostId, InetSocketAddress controller) {
        this(agent, hostId, controller, Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    public HostAgentClient(HostAgent agent, String hostId, InetSocketAddress controller, Duration minBackoff,
            Duration maxBackoff) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.hostId = Objects.requireNonNull(hostId, "hostId");
        this.target = Objects.requireNonNull(controller, "controller");
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.backoffMillis = minBackoff.toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "host-agent-client-" + hostId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the first stream. */
    /**
     * Sets the largest program message taken (bytes; before {@link #start}). A larger one fails the
     * stream with RESOURCE_EXHAUSTED: the host keeps running its program and reconnects.
     */
    public HostAgentClient maxInboundBytes(int bytes) {
        if (bytes < 1 << 20) {
            throw new IllegalArgumentException("max inbound message must be at least 1 MiB: " + bytes);
        }
        this.maxInboundBytes = bytes;
        return this;
    }

    public HostAgentClient start() {
        synchronized (lock) {
            connect();
        }
        return this;
    }

    /**
     * Points the client at another controller: the current stream is dropped and a new one opened at once.
     * Pointed at the controller whose stream is open, it does nothing: dropping that stream would lose
     * what is in flight on it (a miss report sent just before, which the dataplane does not send again
     * within its hold-off), and a follower's first look at ZooKeeper names the master the client
     * already talks to.
     */
    public void retarget(InetSocketAddress controller) {
        Objects.requireNonNull(controller, "controller");
        synchronized (lock) {
            if (closed || (out != null && controller.equals(target))) {
                return;
            }
            target = controller;
            backoffMillis = minBackoff.toMillis();
            dropChannel();
            connect();
        }
    }

    public InetSocketAddress target() {
        synchronized (lock) {
            return target;
        }
    }

    public String hostId() {
        return hostId;
    }

    public HostAgent agent() {
        return agent;
    }

    /** Streams opened so far (1 + reconnects). */
    public long streams() {
        return streams.get();
    }

    /** Programs received from controllers (applied or rejected). */
    public long programsReceived() {
        return programsReceived.get();
    }

    /**
     * Tells the controller the bytes per flow the host sent since its last report (see
     * {@code UsageReporter}). Never waits: with no stream open the report is dropped and counted.
     *
     * @return whether it was sent
     */
    public boolean reportUsage(long sequence, List<FlowUsage> flows) {
        return report(HostMessage.newBuilder().setUsage(Usage.newBuilder().setSequence(sequence).addAllFlows(flows))
                .build());
    }

    /**
     * Tells the controller a packet found no flow (on-demand programming). Called on the
     * dataplane's thread, so it only queues the report for the client's own thread: the stream's
     * lock may be held while a program is applied and checkpointed (a disk write).
     *
     * @return false when the client is closed (the report is dropped and counted)
     */
    public boolean reportMiss(int vni, int protocol, int src, int dst) {
        HostMessage m = HostMessage.newBuilder().setMiss(Miss.newBuilder().setVni(vni).setProtocol(protocol)
                .setSrc(src).setDst(dst)).build();
        try {
            timer.execute(() -> report(m));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            reportsDropped.incrementAndGet();
            return false;
        }
    }

    /** Reports sent on a stream. */
    public long reportsSent() {
        return reportsSent.get();
    }

    /** Reports dropped because no stream was open (controller gone or reconnecting). */
    public long reportsDropped() {
        return reportsDropped.get();
    }

    private boolean report(HostMessage m) {
        synchronized (lock) {
            if (closed || out == null) {
                reportsDropped.incrementAndGet();
                return false;
            }
            try {
                out.onNext(m);
            } catch (RuntimeException e) { // the stream broke under us; its callback reconnects
                reportsDropped.incrementAndGet();
                return false;
            }
            reportsSent.incrementAndGet();
            return true;
        }
    }

    // ---- under lock ----

    private void connect() {
        if (closed) {
            return;
        }
        if (channel == null) {
            channel = NettyChannelBuilder.forAddress(target).usePlaintext()
                    .maxInboundMessageSize(maxInboundBytes).build();
        }
        long gen = ++generation;
        streams.incrementAndGet();
        StreamObserver<HostMessage> o = HostProgrammingGrpc.newStub(channel).converge(new Inbound(gen));
        out = o;
        FlowProgram running = agent.program();
        dev.andromeda.testbed.control.agent.Checkpoints.Floor floor = agent.epochFloor();
        o.onNext(HostMessage.newBuilder().setHello(Hello.newBuilder().setHostId(hostId).setFormat(HELLO_FORMAT)
                .setRunningVersion(running.version()).setAcceptedEpoch(floor.epoch()).setEpochOwner(floor.owner())
                .setProgramDigest(ByteString.copyFrom(running.contentDigest()))).build());
    }

    private void dropChannel() {
        generation++; // callbacks of the old stream are now ignored
        if (out != null) {
            try {
                out.onCompleted();
            } catch (RuntimeException ignored) {
                // already broken
            }
            out = null;
        }
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
    }

    private void scheduleReconnect(long gen) {
        if (closed || gen != generation) {
            return;
        }
        out = null;
        long delay = backoffMillis;
        backoffMillis = Math.min(maxBackoff.toMillis(), backoffMillis * 2);
        generation++; // nothing more from the broken stream
        long expect = generation;
        timer.schedule(() -> {
            synchronized (lock) {
                if (!closed && generation == expect) {
                    connect();
                }
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Receives programs of one stream. */
    private final class Inbound implements StreamObserver<ControllerMessage> {
        private final long gen;

        Inbound(long gen) {
            this.gen = gen;
        }

        @Override
        public void onNext(ControllerMessage m) {
            if (!m.hasProgram() && !m.hasFence()) {
                return;
            }
            HostMessage answer;
            synchronized (lock) {
                if (closed || gen != generation) {
                    return; // a late message of a dropped stream: never applied
                }
                backoffMillis = minBackoff.toMillis(); // this stream works
                if (m.hasProgram()) {
                    programsReceived.incrementAndGet();
                }
                answer = answer(agent, m);
                out.onNext(answer);
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (lock) {
                if (gen == generation && !closed) {
                    io.grpc.Status st = io.grpc.Status.fromThrowable(t);
                    // A controller that refuses us (hello format) says why; a broken stream is routine.
                    LOG.log(st.getCode() == io.grpc.Status.Code.FAILED_PRECONDITION ? System.Logger.Level.WARNING
                            : System.Logger.Level.DEBUG, "{0}: stream to {1} ended: {2}", hostId, target, st);
                    scheduleReconnect(gen);
                }
            }
        }

        @Override
        public void onCompleted() {
            synchronized (lock) {
                scheduleReconnect(gen);
            }
        }
    }

    /**
     * What a host answers one controller message with: a fence raises the epoch floor and is
     * answered with the floor held; a program (whole or delta) is decoded, checked and applied,
     * answered with an ack or a reject naming why. Null for a message of neither kind. Every
     * stream runs this; public as the control-plane fuzz target's entry point ({@code tb fuzz
     * --target control}), which feeds it messages parsed from arbitrary bytes.
     */
    public static HostMessage answer(HostAgent agent, ControllerMessage m) {
        if (m.hasFence()) {
            String owner = m.getFence().getOwner();
            if (!owner.matches("[!-~]*")) {
                // The floor file keeps the owner as one token; a name that cannot be one (found by
                // tb fuzz --target control: it threw out of the stream) still fences, unnamed.
                LOG.log(System.Logger.Level.WARNING, "fence at epoch {0} names an owner that is not one "
                        + "printable ASCII token; kept unnamed", m.getFence().getEpoch());
                owner = "";
            }
            agent.raiseEpochFloor(m.getFence().getEpoch(), owner);
            dev.andromeda.testbed.control.agent.Checkpoints.Floor floor = agent.epochFloor();
            return HostMessage.newBuilder().setFenced(Fenced.newBuilder().setEpochFloor(floor.epoch())
                    .setFloorOwner(floor.owner())).build();
        }
        return m.hasProgram() ? apply(agent, m.getProgram()) : null;
    }

    private static HostMessage apply(HostAgent agent, Program p) {
        FlowProgram program;
        try {
            program = FlowProgram.decode(p.getFlowProgram().toByteArray());
            if (p.getDelta()) {
                FlowProgram running = agent.program();
                if (running.version() != p.getBaseVersion()) {
                    return reject(agent, p, RejectReason.BASE_MISMATCH, "a delta from version " + p.getBaseVersion()
                            + ", but the host runs " + running.version());
                }
                program = new ProgramDelta(p.getBaseVersion(), program,
                        ProgramDelta.decodeRemoved(p.getRemoved().toByteArray())).applyTo(running);
            }
        } catch (IOException | RuntimeException e) {
            return reject(agent, p, RejectReason.UNDECODABLE, String.valueOf(e.getMessage()));
        }
        if (program.version() != p.getVersion() || program.epoch() != p.getEpoch()) {
            return reject(agent, p, RejectReason.INVALID, "header version/epoch " + p.getVersion() + "/" + p.getEpoch()
                    + " differ from the program's " + program.version() + "/" + program.epoch());
        }
        ApplyResult r = agent.apply(program);
        return switch (r) {
            case ApplyResult.Ack a -> HostMessage.newBuilder()
                    .setAck(Ack.newBuilder().setVersion(a.version()).setEpoch(p.getEpoch())).build();
            case ApplyResult.Reject j -> reject(agent, p, switch (j.reason()) {
                case STALE_VERSION -> RejectReason.STALE_VERSION;
                case DEPOSED_EPOCH -> RejectReason.DEPOSED_EPOCH;
                case INVALID -> RejectReason.INVALID;
            }, j.message());
        };
    }

    private static HostMessage reject(HostAgent agent, Program p, RejectReason reason, String message) {
        return HostMessage.newBuilder().setReject(Reject.newBuilder().setVersion(p.getVersion())
                .setEpoch(p.getEpoch()).setReason(reason).setMessage(message)
                .setRunningVersion(agent.runningVersion())).build();
    }

    /** Closes the stream and the channel; the agent keeps running its program (fail static). */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            dropChannel();
        }
        timer.shutdownNow();
    }

    @Override
    public String toString() {
        return "HostAgentClient[" + hostId + " -> " + target() + ", running " + agent.runningVersion() + "]";
    }
}
