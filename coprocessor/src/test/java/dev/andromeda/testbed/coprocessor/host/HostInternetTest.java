package dev.andromeda.testbed.coprocessor.host;

import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.VmConfig;
import dev.andromeda.testbed.coprocessor.acl.AclRule;
import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.sched.CpuClock;
import dev.andromeda.testbed.fastpath.dataplane.Coprocessors;
import dev.andromeda.testbed.fastpath.dataplane.Drop;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.MemoryLink;
import dev.andromeda.testbed.fastpath.dataplane.PhysicalPort;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host's Internet path through its coprocessors, the workers driven by hand
 * on a fake clock so every decision is exact: egress through the VM's ACL and
 * WAN token-bucket shaper out of the Internet port; ingress through the DoS
 * guard and ACL to the exposed VM. Whatever a coprocessor refuses is freed and
 * counted on both sides.
 */
class HostInternetTest {
    static final int VNI = 100;
    static final int HOST_IP = 0xC0A80001;
    static final long HOST_MAC = 0x02_00_00_00_00_01L;
    static final int VM_IP = 0x0A000001;
    static final int WEB = 0x5DB8D822;        // 93.184.216.34, somewhere on the Internet
    static final int ATTACKER = 0xC6336401;   // 198.51.100.1
    static final int PORT = 1;

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    Host host;
    MemoryLink internet;
    PhysicalPort world;
    PacketPool worldPool;
    VirtioNic vm;
    HostCoprocessors coprocessors;
    Random r = new Random(77);

    void build(Function<Integer, VmConfig> vmConfig) {
        host = new Host("h", HOST_IP, HOST_MAC, 1024, 4096, StageMix.software(), OffloadOptions.defaults());
        internet = new MemoryLink(256, 16384);
        host.connectInternet(internet.a());
        world = internet.b();
        worldPool = new PacketPool(256, 4096);
        vm = host.addVm(new VmPort(PORT, VNI, VM_IP, 0x02_AA_00_00_00_01L));
        host.exposeToInternet(PORT);
        FlowTableBuilder f = new FlowTableBuilder();
        f.host(HOST_IP, HOST_MAC);
        f.flow(VNI, 6, VM_IP, WEB, FlowAction.internet(), FirewallPolicy.ALLOW_ALL);
        f.flow(VNI, 17, VM_IP, WEB, FlowAction.internet(), FirewallPolicy.ALLOW_ALL);
        host.flows().publish(f.build());
        coprocessors = HostCoprocessors.attach(host, PoolConfig.defaults().withWorkers(1)
                .withClocks(clock::get, CpuClock.threadCpuTime()), vmConfig, false);
    }

    @AfterEach
    void close() {
        coprocessors.close();
        host.close();
        internet.close();
        worldPool.close();
    }

    /** The host's turn, the coprocessor's slice, the host's turn again (takes back the results). */
    void run() {
        host.doWork();
        coprocessors.pool().worker(0).doWork();
        host.doWork();
    }

    List<byte[]> worldReceives() {
        HostBatch b = new HostBatch(128);
        world.receive(b, worldPool);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            out.add(worldPool.memory().asSlice(b.packets.offset[i], b.packets.length[i]).toArray(ValueLayout.JAVA_BYTE));
            worldPool.free(b.packets.buffer[i]);
        }
        return out;
    }

    void worldSends(byte[] frame) {
        int buf = worldPool.allocate();
        long at = worldPool.frameOffset(buf);
        MemorySegment.copy(frame, 0, worldPool.memory(), ValueLayout.JAVA_BYTE, at, frame.length);
        HostBatch b = new HostBatch(1);
        b.add(buf, at, frame.length, HostBatch.NO_CSUM, 0);
        assertThat(world.transmit(b, worldPool)).isEqualTo(1);
    }

    static byte[] withDstPort(byte[] f, int port) {
        f[36] = (byte) (port >>> 8);
        f[37] = (byte) port;
        return f;
    }

    @Test
    void egressPassesTheAclAndLeavesThroughTheInternetPortWithItsChecksumDone() {
        build(p -> VmConfig.defaults(p).withAcl(List.of(AclRule.parse("deny out tcp 0.0.0.0/0 25")), true));
        byte[] dns = withDstPort(TwoHosts.guestFrame(r, VM_IP, WEB, false, 60), 53);
        byte[] smtp = withDstPort(TwoHosts.guestFrame(r, VM_IP, WEB, true, 60), 25);
        // the checksum fields still hold the pseudo-header sums; the host completes them before the coprocessor
        vm.send(dns, 34, 6);
        vm.send(smtp, 34, 16);
        run();
        List<byte[]> out = worldReceives();
        assertThat(out).hasSize(1);
        byte[] want = TwoHosts.completed(withDstPort(dns.clone(), 53), false);
        assertThat(out.getFirst()).isEqualTo(want);
        assertThat(host.counters().drops(Drop.INTERNET_REFUSED)).isEqualTo(1);
        assertThat(coprocessors.pool().vm(PORT).counters().drops(DropReason.ACL_DENIED)).isEqualTo(1);
        assertThat(host.counters().toInternet()).isEqualTo(1);
        assertThat(host.atCoprocessors()).isZero();
    }

    @Test
    void wanShapingHoldsWhatIsOverTheRateAndReleasesItAsTokensAccrue() {
        // 10 kB/s, a 3,000-byte burst, 4 frames held at most.
        build(p -> VmConfig.defaults(p).withWan(10_000, 3_000, 4));
        for (int k = 0; k < 10; k++) {
            vm.send(TwoHosts.guestFrame(r, VM_IP, WEB, false, 958), 34, 6); // 1,000-byte frames
        }
        run();
        assertThat(worldReceives()).as("the burst: three frames at once").hasSize(3);
        assertThat(host.atCoprocessors()).as("four held by the shaper").isEqualTo(4);
        assertThat(host.counters().drops(Drop.INTERNET_REFUSED)).as("three over the queue").isEqualTo(3);
        assertThat(coprocessors.pool().vm(PORT).counters().drops(DropReason.SHAPER_QUEUE_FULL)).isEqualTo(3);
        clock.addAndGet(200_000_000L); // 0.2 s: 2,000 bytes of tokens
        run();
        assertThat(worldReceives()).hasSize(2);
        clock.addAndGet(1_000_000_000L);
        run();
        assertThat(worldReceives()).hasSize(2);
        assertThat(host.atCoprocessors()).isZero();
        assertThat(host.counters().toInternet()).isEqualTo(7);
    }

    @Test
    void ingressPassesTheDosGuardAndAclToTheExposedVmOnly() {
        // Two packets of burst per source, then 1 a second; nobody may reach port 22.
        build(p -> VmConfig.defaults(p).withDos(1, 2, 64, 8)
                .withAcl(List.of(AclRule.parse("deny in tcp 0.0.0.0/0 22")), true));
        for (int k = 0; k < 5; k++) {
            worldSends(TwoHosts.completed(TwoHosts.guestFrame(r, ATTACKER, VM_IP, false, 100), false));
        }
        byte[] web = TwoHosts.completed(withDstPort(TwoHosts.guestFrame(r, WEB, VM_IP, true, 200), 443), true);
        worldSends(web);
        worldSends(TwoHosts.completed(withDstPort(TwoHosts.guestFrame(r, WEB, VM_IP, true, 200), 22), true));
        worldSends(TwoHosts.completed(TwoHosts.guestFrame(r, WEB, 0x0A000099, false, 100), false)); // nobody's
        run();
        List<VirtioNic.Received> got = TwoHosts.drain(vm);
        assertThat(got).hasSize(3); // two of the attacker's five, and the web frame
        assertThat(got.getLast().frame()).isEqualTo(web);
        assertThat(got).allMatch(VirtioNic.Received::dataValid);
        var counters = coprocessors.pool().vm(PORT).counters();
        assertThat(counters.drops(DropReason.DOS_RATE_EXCEEDED)).isEqualTo(3);
        assertThat(counters.drops(DropReason.ACL_DENIED)).isEqualTo(1);
        assertThat(host.counters().drops(Drop.INTERNET_REFUSED)).isEqualTo(4);
        assertThat(host.counters().drops(Drop.NO_LOCAL_VM)).isEqualTo(1);
        assertThat(host.counters().fromInternet()).isEqualTo(8);
        assertThat(host.atCoprocessors()).isZero();
    }

    @Test
    void withoutAnInternetPathTheFlowsPacketsAreCountedDrops() {
        build(VmConfig::defaults);
        host.connectInternet(null);
        vm.send(TwoHosts.guestFrame(r, VM_IP, WEB, false, 60), 34, 6);
        run();
        assertThat(host.counters().drops(Drop.NO_INTERNET_PATH)).isEqualTo(1);
        assertThat(Coprocessors.HOST).isNegative();
    }
}
