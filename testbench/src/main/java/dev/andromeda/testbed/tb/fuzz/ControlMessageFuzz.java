package dev.andromeda.testbed.tb.fuzz;

import com.google.protobuf.ByteString;
import dev.andromeda.testbed.control.agent.Checkpoints;
import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.agent.ProgramDelta;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.control.rpc.proto.ControllerMessage;
import dev.andromeda.testbed.control.rpc.proto.Fence;
import dev.andromeda.testbed.control.rpc.proto.HostMessage;
import dev.andromeda.testbed.control.rpc.proto.Program;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code tb fuzz --target control}: the control-plane messages a host agent accepts from the wire
 * -- {@code ControllerMessage}s (programming.proto: a fence, a whole program, a delta) -- decoded
 * and answered by the code every stream runs ({@link HostAgentClient#answer}).
 *
 * <p>An input is a stream's worth of messages, each length-delimited as protobuf writes them
 * (up to 16), sent to a fresh agent (empty state directory). What must hold after each:
 * <ul>
 *   <li>nothing escapes as an exception (on a stream it would end the host's connection);</li>
 *   <li>a program is answered with an ack or a reject, a fence with the floor held, anything else
 *       not at all;</li>
 *   <li>an ack: the agent runs that version, and the host's dataplane runs its flow table;</li>
 *   <li>a reject: the agent runs what it ran before and the dataplane's table is the same object;</li>
 *   <li>the epoch floor never goes down, and is at least every fence's and accepted program's epoch.</li>
 * </ul>
 */
public final class ControlMessageFuzz {
    private static Host host;
    private static Path state;

    private ControlMessageFuzz() {
    }

    public static void fuzzerInitialize() {
        // The agent logs each fence and reject (INFO): at thousands of inputs a second that is most
        // of the time and all of the log. Warnings and errors still show.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        host = new Host("fuzz-control", 0xC0A80001, 0x02_00_00_00_0A_01L, 16, 2048, StageMix.software(),
                OffloadOptions.defaults());
        try {
            // tmpfs when there is one: an accepted program is checkpointed (written and synced) first.
            Path shm = Path.of("/dev/shm");
            state = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "tb-fuzz-control")
                    : Files.createTempDirectory("tb-fuzz-control");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void fuzzerTestOneInput(byte[] data) throws IOException {
        if (host == null) {
            fuzzerInitialize();
        }
        try (Stream<Path> old = Files.list(state)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        HostAgent agent = new HostAgent(host, new Checkpoints(state));
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        for (int n = 0; n < 16 && in.available() > 0; n++) {
            ControllerMessage m;
            try {
                m = ControllerMessage.parseDelimitedFrom(in);
            } catch (IOException e) {
                return; // not protobuf: the gRPC stream refuses it before the agent sees it
            }
            if (m == null) {
                return;
            }
            long floor = agent.epochFloor().epoch();
            long running = agent.runningVersion();
            FlowProgram before = agent.program();
            FlowTable table = host.flows().latest();
            HostMessage answer = HostAgentClient.answer(agent, m);
            long floorAfter = agent.epochFloor().epoch();
            if (floorAfter < floor) {
                throw new AssertionError("the epoch floor went down from " + floor + " to " + floorAfter + " on " + m);
            }
            if (m.hasFence()) {
                long want = Math.max(floor, m.getFence().getEpoch());
                if (answer == null || !answer.hasFenced() || answer.getFenced().getEpochFloor() != floorAfter
                        || floorAfter != want) {
                    throw new AssertionError("fence " + m.getFence().getEpoch() + " over floor " + floor
                            + ": floor now " + floorAfter + ", answered " + answer);
                }
            } else if (m.hasProgram()) {
                Program p = m.getProgram();
                if (answer == null || !(answer.hasAck() || answer.hasReject())) {
                    throw new AssertionError("a program answered with " + answer);
                }
                if (answer.hasAck()) {
                    FlowProgram now = agent.program();
                    if (agent.runningVersion() != p.getVersion() || now.version() != p.getVersion()
                            || now.epoch() != p.getEpoch() || floorAfter < p.getEpoch()) {
                        throw new AssertionError("acked version " + p.getVersion() + " epoch " + p.getEpoch()
                                + " but the agent runs " + now + " with floor " + floorAfter);
                    }
                    if (host.flows().latest() == table) {
                        throw new AssertionError("acked version " + p.getVersion() + " but the dataplane's table did not change");
                    }
                } else if (agent.runningVersion() != running || agent.program() != before
                        || host.flows().latest() != table) {
                    throw new AssertionError("rejected (" + answer.getReject().getReason() + ") yet the host changed: "
                            + before + " -> " + agent.program());
                }
            } else if (answer != null) {
                throw new AssertionError("a message of neither kind answered with " + answer);
            }
        }
    }

    /** Starting inputs: a fence, a whole program, a delta on it, stale and deposed ones, garbage in the program bytes. */
    static List<byte[]> seeds() {
        FlowProgram v1 = FlowProgram.builder(1, 1).host(0xC0A80001, 0x02_00_00_00_0A_01L).host(0xC0A80002, 0x02_00_00_00_0B_01L)
                .hoverboards(1)
                .flow(100, 17, 0x0A000001, 0x0A000002, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL)
                .flow(100, 6, 0x0A000001, 0x0A000002, FlowAction.encapToHost(1),
                        FirewallPolicy.ports(FirewallPolicy.Kind.PORT_RANGES, new int[] {80, 443}))
                .build();
        FlowProgram v2 = FlowProgram.builder(2, 1).host(0xC0A80001, 0x02_00_00_00_0A_01L).host(0xC0A80002, 0x02_00_00_00_0B_01L)
                .flow(100, 17, 0x0A000001, 0x0A000003, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL)
                .build();
        ProgramDelta delta = ProgramDelta.between(v1, v2);
        ControllerMessage fence = ControllerMessage.newBuilder().setFence(Fence.newBuilder().setEpoch(1).setOwner("vmc-0")).build();
        ControllerMessage whole = program(v1, false, 0, new byte[0], v1.encode());
        ControllerMessage deltaMsg = program(v2, true, 1, delta.encodeRemoved(), delta.upserts().encode());
        ControllerMessage stale = program(v1, false, 0, new byte[0], v1.encode());
        ControllerMessage deposed = ControllerMessage.newBuilder().setFence(Fence.newBuilder().setEpoch(5)).build();
        byte[] broken = v1.encode();
        broken[broken.length / 2] ^= 0x7F;
        ControllerMessage garbage = program(v1, false, 0, new byte[0], broken);
        return List.of(delimited(fence, whole, deltaMsg), delimited(whole, stale), delimited(deposed, whole),
                delimited(garbage), delimited(fence, whole, deltaMsg, deposed, program(v2, false, 0, new byte[0], v2.encode())));
    }

    private static ControllerMessage program(FlowProgram p, boolean delta, long base, byte[] removed, byte[] body) {
        return ControllerMessage.newBuilder().setProgram(Program.newBuilder().setVersion(p.version()).setEpoch(p.epoch())
                .setFlowProgram(ByteString.copyFrom(body)).setDelta(delta).setBaseVersion(base)
                .setRemoved(ByteString.copyFrom(removed))).build();
    }

    private static byte[] delimited(ControllerMessage... ms) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (ControllerMessage m : ms) {
                m.writeDelimitedTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
