package dev.andromeda.testbed.control.rpc;

import dev.andromeda.testbed.control.AgentFixture;
import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.rpc.proto.ControllerMessage;
import dev.andromeda.testbed.control.rpc.proto.Hello;
import dev.andromeda.testbed.control.rpc.proto.HostMessage;
import dev.andromeda.testbed.control.rpc.proto.HostProgrammingGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.andromeda.testbed.control.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fencing between controllers of one partition, over gRPC: a master raises every host's epoch
 * floor before anything else, so a deposed master is refused even by hosts the new master never
 * had to program; the floor survives a restart; a hello of an unknown format is refused.
 */
@Timeout(60)
class FencingTest {
    static final String HOST = ConvergeTest.HOST;

    @TempDir
    Path dir;
    @RegisterExtension
    final AgentFixture fx = new AgentFixture(HOST);

    <T extends AutoCloseable> T track(T c) {
        return fx.track(c);
    }

    HostAgent agent(Path state) throws java.io.IOException {
        return fx.agent(state);
    }

    HostAgentClient client(HostAgent agent, VmController c) {
        return fx.client(agent, c.address());
    }

    @Test
    void aNewMasterFencesAConvergedHostSoTheDeposedMastersLaterWriteIsRefused() throws Exception {
        VmController old = track(new VmController("vmc-old", 1));
        old.setProgram(HOST, ConvergeTest.program(1, 0));
        HostAgent agent = agent(dir.resolve("state"));
        HostAgentClient client = client(agent, old);
        await("the host to run version 1 from the old master", () -> agent.runningVersion() == 1);

        // The new master desires exactly what the host runs: it has nothing to send but its epoch.
        VmController fresh = track(new VmController("vmc-new", 2));
        fresh.setProgram(HOST, ConvergeTest.program(1, 0));
        client.retarget(fresh.address());
        await("the host to confirm epoch 2 to the new master", () -> fresh.fencedEpoch(HOST) == 2);
        assertThat(agent.epoch()).isEqualTo(2);
        assertThat(fresh.sends(HOST)).as("converged: no program sent").isZero();

        // The old master, paused through all this, resumes; the host talks to it again: its hello
        // shows epoch 2, so the old master knows it is deposed and sends nothing.
        client.retarget(old.address());
        await("the old master to learn it is deposed", old::deposed);
        old.setProgram(HOST, ConvergeTest.program(2, 3));
        assertThat(old.hostEpoch(HOST)).isEqualTo(2);
        assertThat(old.sends(HOST)).isEqualTo(1); // version 1, before the failover
        assertThat(agent.runningVersion()).isEqualTo(1);
    }

    @Test
    void aHostFencedFromThePublishedEpochRefusesTheDeposedMasterOnItsStillOpenStream() throws Exception {
        VmController old = track(new VmController("vmc-old", 1));
        old.setProgram(HOST, ConvergeTest.program(1, 0));
        HostAgent agent = agent(dir.resolve("state"));
        client(agent, old);
        await("the host to run version 1 from the old master", () -> agent.runningVersion() == 1);

        // A new master is published with epoch 2 (the host's MasterFollower raises the floor from it)
        // before the host has moved its stream: the old master, resumed, writes on the open stream.
        agent.raiseEpochFloor(2, "vmc-published");
        old.setProgram(HOST, ConvergeTest.program(2, 3));
        await("the old master's write to be refused", () -> old.lastReject(HOST).isPresent());
        assertThat(old.lastReject(HOST).get().reason()).isEqualTo("DEPOSED_EPOCH");
        assertThat(agent.runningVersion()).isEqualTo(1);
        assertThat(agent.deposedRefused()).isEqualTo(1);
        assertThat(old.deposed()).isTrue();
    }

    @Test
    void aFenceBelowTheHostsFloorIsAnsweredWithTheFloorAndNothingIsSent() throws Exception {
        HostAgent agent = agent(dir.resolve("state"));
        agent.raiseEpochFloor(7, "vmc-newer");
        VmController behind = track(new VmController("vmc-behind", 3));
        List<String> ahead = new java.util.concurrent.CopyOnWriteArrayList<>();
        behind.onReports(new VmController.HostReports() {
            @Override
            public void hostEpochAhead(String hostId, long hostEpoch) {
                ahead.add(hostId + "@" + hostEpoch);
            }
        });
        behind.setProgram(HOST, ConvergeTest.program(1, 0));
        client(agent, behind);
        await("the controller to hear that the host is ahead", () -> !ahead.isEmpty());
        assertThat(ahead.get(0)).isEqualTo(HOST + "@7");
        assertThat(behind.sends(HOST)).isZero();
        assertThat(agent.epoch()).isEqualTo(7);

        behind.becomeMaster(8); // what the VMC does once it has taken an epoch above the host's
        await("the host to run version 1 at epoch 8", () -> agent.runningVersion() == 1 && agent.epoch() == 8);
    }

    @Test
    void theEpochFloorSurvivesARestart() throws Exception {
        Path state = dir.resolve("state");
        HostAgent first = agent(state);
        assertThat(first.raiseEpochFloor(5, "vmc-5")).isEqualTo(5);
        assertThat(first.raiseEpochFloor(3, "vmc-3")).as("a lower fence changes nothing").isEqualTo(5);

        HostAgent restarted = agent(state);
        assertThat(restarted.epoch()).isEqualTo(5);
        assertThat(restarted.epochOwner()).as("who fenced it, kept with the floor").isEqualTo("vmc-5");
        assertThat(restarted.raiseEpochFloor(5, "vmc-other")).isEqualTo(5);
        assertThat(restarted.epochOwner()).as("an equal fence keeps the first owner").isEqualTo("vmc-5");
        assertThat(restarted.apply(ConvergeTest.program(1, 0).withVersion(1, 4)))
                .isInstanceOf(dev.andromeda.testbed.control.agent.ApplyResult.Reject.class);
        assertThat(restarted.apply(ConvergeTest.program(1, 0).withVersion(1, 5)))
                .isInstanceOf(dev.andromeda.testbed.control.agent.ApplyResult.Ack.class);
    }

    @Test
    void anEpochFloorFileOfFormatOneIsStillReadWithNoOwner() throws Exception {
        Path state = dir.resolve("state");
        java.nio.file.Files.createDirectories(state);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C(); // computed here, apart from Checkpoints
        crc.update("9".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.nio.file.Files.writeString(state.resolve(dev.andromeda.testbed.control.agent.Checkpoints.EPOCH_FLOOR),
                "andromeda-epoch-floor 1 9 " + Long.toHexString(crc.getValue()) + "\n");
        HostAgent restarted = agent(state);
        assertThat(restarted.epoch()).isEqualTo(9);
        assertThat(restarted.epochOwner()).isEmpty();
        assertThat(restarted.checkpoints().badCheckpoints()).isZero();
    }

    @Test
    void aDamagedEpochFloorFileIsReportedAndTheProgramsEpochStillFences() throws Exception {
        Path state = dir.resolve("state");
        HostAgent first = agent(state);
        first.apply(ConvergeTest.program(1, 0).withVersion(1, 2));
        first.raiseEpochFloor(6, "vmc-6");
        java.nio.file.Files.writeString(state.resolve(dev.andromeda.testbed.control.agent.Checkpoints.EPOCH_FLOOR),
                "andromeda-epoch-floor 1 9 0\n"); // checksum wrong
        HostAgent restarted = agent(state);
        assertThat(restarted.epoch()).as("the checkpoint's epoch").isEqualTo(2);
        assertThat(restarted.checkpoints().badCheckpoints()).isEqualTo(1);
    }

    @Test
    void aHelloOfAnUnknownFormatIsRefusedWithTheFormatsNamed() throws Exception {
        VmController vmc = track(new VmController("vmc", 1));
        ManagedChannel ch = NettyChannelBuilder.forAddress(vmc.address()).usePlaintext().build();
        track(() -> ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<HostMessage> out = HostProgrammingGrpc.newStub(ch).converge(new StreamObserver<>() {
            @Override
            public void onNext(ControllerMessage m) {
                ended.completeExceptionally(new AssertionError("sent " + m));
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.completeExceptionally(new AssertionError("completed without an error"));
            }
        });
        out.onNext(HostMessage.newBuilder().setHello(Hello.newBuilder().setHostId(HOST).setFormat(2)).build());
        Status s = Status.fromThrowable(ended.get(10, TimeUnit.SECONDS));
        assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(s.getDescription()).contains("hello format 2").contains("reads format 1");
        assertThat(vmc.hellos(HOST)).isZero();
    }
}
