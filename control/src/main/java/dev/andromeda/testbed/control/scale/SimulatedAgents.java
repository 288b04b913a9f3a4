package dev.andromeda.testbed.control.scale;

import com.google.protobuf.ByteString;
import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.agent.ProgramDelta;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.control.rpc.proto.Ack;
import dev.andromeda.testbed.control.rpc.proto.ControllerMessage;
import dev.andromeda.testbed.control.rpc.proto.Fenced;
import dev.andromeda.testbed.control.rpc.proto.Hello;
import dev.andromeda.testbed.control.rpc.proto.HostMessage;
import dev.andromeda.testbed.control.rpc.proto.HostProgrammingGrpc;
import dev.andromeda.testbed.control.rpc.proto.Program;
import dev.andromeda.testbed.control.rpc.proto.Reject;
import dev.andromeda.testbed.control.rpc.proto.RejectReason;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many host agents in one process, for a scale run: each speaks {@code HostProgramming.Converge}
 * as a real host does ({@link HostAgentClient}'s hello, fence answer, ack or reject), on one gRPC
 * stream of a channel shared by every agent of the same controller, and applies every program as
 * {@link dev.andromeda.testbed.control.agent.HostAgent#apply} does: refused below its epoch floor
 * or at a version not newer than the one it runs; decoded from the wire bytes, a delta applied to
 * the program it runs, then validated and built into a real {@link FlowTable}
 * ({@link FlowProgram#toFlowTable()}) before the ack.
 *
 * <p>What a simulated agent leaves out, so that ten thousand fit in one JVM: no dataplane (the
 * table is not published anywhere, and kept only when asked, for tests), no checkpoint on disk,
 * no reconnection (a broken stream is counted). It keeps the {@link FlowProgram} it runs, as
 * {@code HostAgent} does, because deltas apply to it.
 */
public final class SimulatedAgents implements AutoCloseable {
    /** One simulated host. */
    public static final class Agent {
        private final String hostId;
        private final boolean keepTable;
        private StreamObserver<HostMessage> out; // guarded by this
        private FlowProgram program = FlowProgram.EMPTY; // guarded by this
        private long floor; // guarded by this
        private FlowTable table; // guarded by this; only when keepTable
        private volatile long runningVersion;
        private volatile int tableSize;
        private long acks;
        private long rejects;
        private String lastReject = "";

        Agent(String hostId, boolean keepTable) {
            this.hostId = hostId;
            this.keepTable = keepTable;
        }

        public String hostId() {
            return hostId;
        }

        public long runningVersion() {
            return runningVersion;
        }

        /** Flows in the table the agent built for the program it runs. */
        public int tableSize() {
            return tableSize;
        }

        public synchronized FlowProgram program() {
            return program;
        }

        /** The table built for the running program; null unless the agents keep tables. */
        public synchronized FlowTable table() {
            return table;
        }

        public synchronized long acks() {
            return acks;
        }

        public synchronized long rejects() {
            return rejects;
        }

        public synchronized String lastReject() {
            return lastReject;
        }

        synchronized void start(ManagedChannel channel, SimulatedAgents owner) {
            out = HostProgrammingGrpc.newStub(channel).converge(new StreamObserver<>() {
                @Override
                public void onNext(ControllerMessage m) {
                    receive(m, owner);
                }

                @Override
                public void onError(Throwable t) {
                    owner.streamsBroken.incrementAndGet();
                }

                @Override
                public void onCompleted() {
                    owner.streamsBroken.incrementAndGet();
                }
            });
            out.onNext(HostMessage.newBuilder().setHello(Hello.newBuilder().setHostId(hostId)
                    .setFormat(HostAgentClient.HELLO_FORMAT).setRunningVersion(program.version())
                    .setAcceptedEpoch(floor).setProgramDigest(ByteString.copyFrom(program.contentDigest()))).build());
        }

        private synchronized void receive(ControllerMessage m, SimulatedAgents owner) {
            HostMessage answer;
            if (m.hasFence()) {
                floor = Math.max(floor, m.getFence().getEpoch());
                answer = HostMessage.newBuilder().setFenced(Fenced.newBuilder().setEpochFloor(floor)
                        .setFloorOwner(m.getFence().getOwner())).build();
            } else if (m.hasProgram()) {
                owner.bytesReceived.addAndGet(m.getProgram().getFlowProgram().size() + m.getProgram().getRemoved().size());
                answer = apply(m.getProgram());
            } else {
                return;
            }
            try {
                out.onNext(answer);
            } catch (RuntimeException e) {
                owner.streamsBroken.incrementAndGet();
            }
        }

        /** As HostAgentClient.apply then HostAgent.apply, without the disk and the dataplane. */
        private HostMessage apply(Program p) {
            FlowProgram update;
            try {
                update = FlowProgram.decode(p.getFlowProgram().toByteArray());
                if (p.getDelta()) {
                    if (program.version() != p.getBaseVersion()) {
                        return reject(p, RejectReason.BASE_MISMATCH, "a delta from version " + p.getBaseVersion()
                                + ", but the host runs " + program.version());
                    }
                    update = new ProgramDelta(p.getBaseVersion(), update,
                            ProgramDelta.decodeRemoved(p.getRemoved().toByteArray())).applyTo(program);
                }
            } catch (IOException | RuntimeException e) {
                return reject(p, RejectReason.UNDECODABLE, String.valueOf(e.getMessage()));
            }
            if (update.version() != p.getVersion() || update.epoch() != p.getEpoch()) {
                return reject(p, RejectReason.INVALID, "header version/epoch differ from the program's");
            }
            if (update.epoch() < floor) {
                return reject(p, RejectReason.DEPOSED_EPOCH, "epoch " + update.epoch() + " below floor " + floor);
            }
            if (update.version() <= program.version()) {
                return reject(p, RejectReason.STALE_VERSION, "version " + update.version()
                        + " is not newer than running version " + program.version());
            }
            FlowTable built;
            try {
                built = update.toFlowTable();
            } catch (IllegalArgumentException e) {
                return reject(p, RejectReason.INVALID, e.getMessage());
            }
            floor = Math.max(floor, update.epoch());
            program = update;
            table = keepTable ? built : null;
            tableSize = built.size();
            runningVersion = update.version();
            acks++;
            return HostMessage.newBuilder().setAck(Ack.newBuilder().setVersion(update.version())
                    .setEpoch(update.epoch())).build();
        }

        private HostMessage reject(Program p, RejectReason reason, String message) {
            rejects++;
            lastReject = reason + ": " + message;
            return HostMessage.newBuilder().setReject(Reject.newBuilder().setVersion(p.getVersion())
                    .setEpoch(p.getEpoch()).setReason(reason).setMessage(message)
                    .setRunningVersion(program.version())).build();
        }

        synchronized void close() {
            if (out != null) {
                try {
                    out.onCompleted();
                } catch (RuntimeException ignored) {
                    // already broken
                }
                out = null;
            }
            program = FlowProgram.EMPTY;
            table = null;
        }
    }

    private final Map<InetSocketAddress, ManagedChannel> channels = new HashMap<>();
    private final Map<String, Agent> agents = new HashMap<>();
    private final ExecutorService executor;
    private final boolean keepTables;
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong streamsBroken = new AtomicLong();

    /**
     * @param threads    threads that decode, validate and build tables for every agent (the cores to give them)
     * @param keepTables keep each agent's built table (for tests that read them; costs a table per host)
     */
    public SimulatedAgents(int threads, boolean keepTables) {
        this.keepTables = keepTables;
        this.executor = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "simulated-agents");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts an agent for {@code hostId}: it opens its stream to {@code controller} and says hello. */
    public synchronized Agent start(String hostId, InetSocketAddress controller) {
        if (agents.containsKey(hostId)) {
            throw new IllegalArgumentException("agent " + hostId + " exists");
        }
        ManagedChannel channel = channels.computeIfAbsent(controller, a -> NettyChannelBuilder.forAddress(a)
                .usePlaintext().executor(executor).maxInboundMessageSize(Integer.MAX_VALUE).build());
        Agent a = new Agent(hostId, keepTables);
        agents.put(hostId, a);
        a.start(channel, this);
        return a;
    }

    public synchronized Agent agent(String hostId) {
        return agents.get(hostId);
    }

    public synchronized List<Agent> agents() {
        return new ArrayList<>(agents.values());
    }

    /** Program bytes received by every agent (whole programs and deltas, as on the wire). */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Streams that ended or failed while open: none in a healthy run. */
    public long streamsBroken() {
        return streamsBroken.get();
    }

    /** Ends every stream and channel; the agents drop their programs. */
    @Override
    public synchronized void close() {
        for (Agent a : agents.values()) {
            a.close();
        }
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels.values()) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdownNow();
        agents.clear();
        channels.clear();
    }
}
