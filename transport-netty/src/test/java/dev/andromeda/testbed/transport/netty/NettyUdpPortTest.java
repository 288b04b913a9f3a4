package dev.andromeda.testbed.transport.netty;

import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.transport.netty.NettyUdpPort.Transport;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hosts over real UDP sockets on loopback. Bounded: a few thousand frames,
 * every wait has a deadline, every test a timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyUdpPortTest {
    static {
        LeakCheck.install(); // before anything touches Netty's buffers
    }

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    static Stream<Arguments> transports() {
        List<Arguments> t = new ArrayList<>();
        if (Transport.best() == Transport.EPOLL) {
            t.add(Arguments.of(Transport.EPOLL));
        }
        t.add(Arguments.of(Transport.NIO));
        return t.stream();
    }

    @BeforeAll
    static void sayWhichTransport() {
        System.out.println("NettyUdpPort transport: " + Transport.best()
                + (Transport.best() == Transport.EPOLL ? "" : " (epoll unavailable: " + NettyUdpPort.epollUnavailabilityCause() + ")"));
    }

    @AfterAll
    static void nettyReportedNoLeak() {
        assertThat(LeakCheck.tracking()).as("the leak listener was installed before Netty initialised").isTrue();
        assertThat(LeakCheck.leaks()).as("Netty paranoid leak reports").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void twoHostsExchangeGeneveAndPspTrafficEveryFrameOnceByteIdentical(Transport transport)
            throws InterruptedException {
        PooledByteBufAllocator alloc = LeakCheck.countingAllocator();
        NettyUdpPort.Options opts = NettyUdpPort.Options.defaults().transport(transport).allocator(alloc);
        long seed = 2018;
        Random r = new Random(seed);
        NettyUdpPort pa;
        NettyUdpPort pb;
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults());
             NettyUdpPort a = NettyUdpPort.bind(LOOPBACK_ANY_PORT, null, opts);
             NettyUdpPort b = NettyUdpPort.bind(LOOPBACK_ANY_PORT, a.localAddress(), opts)) {
            pa = a;
            pb = b;
            a.connect(b.localAddress());
            assertThat(a.localAddress().getPort()).isPositive().isNotEqualTo(b.localAddress().getPort());
            net.a.connect(a);
            net.b.connect(b);

            // Four flows: a1 -> b1 (GENEVE), a2 -> b2 (GENEVE + PSP), and back.
            VirtioNic[] from = {net.a1, net.a2, net.b1, net.b2};
            VirtioNic[] to = {net.b1, net.b2, net.a1, net.a2};
            int[] src = {0x0A000001, 0x0A000001, 0x0A000002, 0x0A000002};
            int[] dst = {0x0A000002, 0x0A000002, 0x0A000001, 0x0A000001};
            List<Map<ByteBuffer, Integer>> expected = new ArrayList<>();
            List<Map<ByteBuffer, Integer>> got = new ArrayList<>();
            for (int f = 0; f < 4; f++) {
                expected.add(new HashMap<>());
                got.add(new HashMap<>());
            }
            int rounds = 25;
            int perRound = 32;   // per flow and round: 4 x 32 frames in flight, then wait for them (pacing)
            int total = 0;
            int[] delivered = new int[4];
            for (int round = 0; round < rounds; round++) {
                for (int f = 0; f < 4; f++) {
                    for (int k = 0; k < perRound; k++) {
                        boolean tcp = r.nextBoolean();
                        int payload = r.nextInt(10) == 0 ? 8000 + r.nextInt(1000) : r.nextInt(1400);
                        byte[] frame = TwoHosts.guestFrame(r, src[f], dst[f], tcp, payload);
                        int[] c = TwoHosts.csumRequest(tcp);
                        assertThat(from[f].send(frame, c[0], c[1])).isTrue();
                        expected.get(f).merge(ByteBuffer.wrap(TwoHosts.completed(frame, tcp)), 1, Integer::sum);
                        total++;
                    }
                }
                int want = total;
                pumpUntil(net, () -> {
                    for (int f = 0; f < 4; f++) {
                        for (VirtioNic.Received rx : TwoHosts.drain(to[f])) {
                            assertThat(rx.dataValid()).as("DATA_VALID").isTrue();
                            got.get(f).merge(ByteBuffer.wrap(rx.frame()), 1, Integer::sum);
                            delivered[f]++;
                        }
                    }
                    return delivered[0] + delivered[1] + delivered[2] + delivered[3] >= want;
                });
            }
            String why = "seed " + seed + ": " + net.a + " / " + net.b + " / " + a + " / " + b;
            assertThat(delivered[0] + delivered[1] + delivered[2] + delivered[3]).as(why).isEqualTo(total);
            for (int f = 0; f < 4; f++) {
                assertThat(got.get(f)).as("flow %d: every frame once, byte-identical; %s", f, why)
                        .isEqualTo(expected.get(f));
            }
            assertThat(net.a.counters().droppedTotal()).as(why).isZero();
            assertThat(net.b.counters().droppedTotal()).as(why).isZero();
            int sentTotal = total;
            // A write's completion is counted on the sender's event loop, possibly just after the peer got it.
            await(() -> a.counters().sent() + b.counters().sent() == sentTotal);
            NettyUdpPort.Counters ca = a.counters();
            NettyUdpPort.Counters cb = b.counters();
            assertThat(ca.dropped() + cb.dropped() + ca.errors() + cb.errors()).as(why).isZero();
            assertThat(ca.sent() + cb.sent()).isEqualTo(total);
            assertThat(cb.received()).isEqualTo(ca.sent());
            assertThat(ca.received()).isEqualTo(cb.sent());
            assertThat(net.a.pool().available()).as("no pool buffer leaked").isEqualTo(net.a.pool().capacity());
            assertThat(net.b.pool().available()).isEqualTo(net.b.pool().capacity());
        }
        assertClosedCleanly(alloc, pa, pb);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void sendsEachFrameToTheEndpointOfItsOuterDestinationAndCountsFramesWithNone(Transport transport)
            throws Exception {
        PooledByteBufAllocator alloc = LeakCheck.countingAllocator();
        NettyUdpPort.Options opts = NettyUdpPort.Options.defaults().transport(transport).allocator(alloc);
        NettyUdpPort port;
        int ipB = 0xC0A80002;
        int ipC = 0xC0A80003;
        try (NettyUdpPort p = NettyUdpPort.bind(LOOPBACK_ANY_PORT, null, opts);
             PacketPool pool = new PacketPool(16, 2048);
             DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket c = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = p;
            b.setSoTimeout(5_000);
            c.setSoTimeout(5_000);
            p.peers(Map.of(ipB, (InetSocketAddress) b.getLocalSocketAddress(),
                    ipC, (InetSocketAddress) c.getLocalSocketAddress()));
            HostBatch batch = new HostBatch(32);
            // to B, to C, to an address nobody has, and a frame that is not IPv4 (ARP's ethertype)
            int[] dsts = {ipB, ipC, 0xC0A80063, ipB};
            int[] ethertypes = {0x0800, 0x0800, 0x0800, 0x0806};
            byte[][] frames = new byte[4][];
            for (int i = 0; i < 4; i++) {
                byte[] f = new byte[60 + i];
                new Random(31 + i).nextBytes(f);
                f[12] = (byte) (ethertypes[i] >>> 8);
                f[13] = (byte) ethertypes[i];
                java.nio.ByteBuffer.wrap(f, 30, 4).putInt(dsts[i]);
                frames[i] = f;
                int buf = pool.allocate();
                long at = pool.frameOffset(buf);
                java.lang.foreign.MemorySegment.copy(f, 0, pool.memory(), ValueLayout.JAVA_BYTE, at, f.length);
                batch.add(buf, at, f.length, HostBatch.NO_CSUM, 0);
            }
            assertThat(p.transmit(batch, pool)).isEqualTo(2);
            DatagramPacket got = new DatagramPacket(new byte[4096], 4096);
            b.receive(got);
            assertThat(java.util.Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(frames[0]);
            c.receive(got);
            assertThat(java.util.Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(frames[1]);
            assertThat(p.counters().noPeer()).isEqualTo(2);
            assertThat(p.counters().dropped()).isEqualTo(2);
            assertThat(pool.available()).as("every frame's buffer freed, sent or not").isEqualTo(pool.capacity());
        }
        assertClosedCleanly(alloc, port);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void countsDatagramsTooLargeForThePoolOrThePort(Transport transport) throws Exception {
        PooledByteBufAllocator alloc = LeakCheck.countingAllocator();
        NettyUdpPort.Options opts = NettyUdpPort.Options.defaults().transport(transport).allocator(alloc)
                .maxDatagramBytes(16_384);
        NettyUdpPort port;
        try (NettyUdpPort p = NettyUdpPort.bind(LOOPBACK_ANY_PORT, null, opts);
             PacketPool pool = new PacketPool(8, 2048);
             DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = p;
            int max = pool.maxFrameBytes(); // 1,920
            s.send(new DatagramPacket(new byte[max + 1], max + 1, p.localAddress()));      // too big for the pool
            s.send(new DatagramPacket(new byte[20_000], 20_000, p.localAddress()));        // too big for the port
            byte[] fits = new byte[max];
            new Random(9).nextBytes(fits);
            s.send(new DatagramPacket(fits, max, p.localAddress()));                       // just fits
            await(() -> p.counters().arrived() == 3);

            HostBatch batch = new HostBatch(128);
            int n = p.receive(batch, pool);
            assertThat(n).isEqualTo(1);
            byte[] frame = pool.memory().asSlice(batch.packets.offset[0], batch.packets.length[0])
                    .toArray(ValueLayout.JAVA_BYTE);
            assertThat(frame).isEqualTo(fits);
            assertThat(batch.packets.offset[0]).isEqualTo(pool.frameOffset(batch.packets.buffer[0]));
            assertThat(batch.csumStart[0]).isEqualTo(HostBatch.NO_CSUM);
            assertThat(p.counters().oversize()).isEqualTo(2);
            assertThat(p.counters().received()).isEqualTo(1);
            assertThat(p.counters().dropped()).isEqualTo(2);
            pool.free(batch.packets.buffer[0]);
        }
        assertClosedCleanly(alloc, port);
    }

    @Test
    void leavesADatagramQueuedWhenThePoolIsExhaustedAndCountsAFullQueue() throws Exception {
        PooledByteBufAllocator alloc = LeakCheck.countingAllocator();
        NettyUdpPort.Options opts = NettyUdpPort.Options.defaults().allocator(alloc).queueCapacity(4);
        NettyUdpPort port;
        try (NettyUdpPort p = NettyUdpPort.bind(LOOPBACK_ANY_PORT, null, opts);
             PacketPool pool = new PacketPool(2, 2048);
             DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = p;
            for (int i = 0; i < 10; i++) {
                s.send(new DatagramPacket(new byte[] {(byte) i}, 1, p.localAddress()));
            }
            await(() -> p.counters().arrived() == 10);
            assertThat(p.counters().queueFull()).isEqualTo(6);
            assertThat(p.queued()).isEqualTo(4);

            HostBatch batch = new HostBatch(128);
            assertThat(p.receive(batch, pool)).as("two pool buffers").isEqualTo(2);
            assertThat(p.queued()).as("the rest stays queued").isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                assertThat(pool.memory().get(ValueLayout.JAVA_BYTE, batch.packets.offset[i])).isEqualTo((byte) i);
                pool.free(batch.packets.buffer[i]);
            }
            batch.clear();
            assertThat(p.receive(batch, pool)).isEqualTo(2);
            assertThat(pool.memory().get(ValueLayout.JAVA_BYTE, batch.packets.offset[0])).isEqualTo((byte) 2);
            pool.free(batch.packets.buffer[0]);
            pool.free(batch.packets.buffer[1]);
            // Two more left queued at close: close releases them.
            s.send(new DatagramPacket(new byte[100], 100, p.localAddress()));
            s.send(new DatagramPacket(new byte[100], 100, p.localAddress()));
            await(() -> p.counters().arrived() == 12);
            assertThat(LeakCheck.active(alloc)).isEqualTo(2);
        }
        assertClosedCleanly(alloc, port);
    }

    @Test
    void refusesAndCountsFramesWithoutAPeerOrAfterClose() {
        PooledByteBufAllocator alloc = LeakCheck.countingAllocator();
        NettyUdpPort.Options opts = NettyUdpPort.Options.defaults().allocator(alloc);
        try (PacketPool pool = new PacketPool(8, 2048)) {
            NettyUdpPort p = NettyUdpPort.bind(LOOPBACK_ANY_PORT, null, opts);
            HostBatch batch = new HostBatch(32);
            fill(batch, pool, 3);
            assertThat(p.transmit(batch, pool)).as("no peer").isZero();
            assertThat(batch.live()).isZero();
            assertThat(pool.available()).isEqualTo(pool.capacity());
            assertThat(p.counters().notWritable()).isEqualTo(3);

            p.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)); // discard: nobody listens
            p.close();
            batch.clear();
            fill(batch, pool, 2);
            assertThat(p.transmit(batch, pool)).as("closed").isZero();
            assertThat(batch.live()).isZero();
            assertThat(pool.available()).isEqualTo(pool.capacity());
            assertThat(p.counters().notWritable()).isEqualTo(5);
            assertThat(p.counters().dropped()).isEqualTo(5);
            p.close(); // idempotent
            assertClosedCleanly(alloc, p);
        }
    }

    private static void fill(HostBatch batch, PacketPool pool, int n) {
        for (int i = 0; i < n; i++) {
            int buffer = pool.allocate();
            batch.add(buffer, pool.frameOffset(buffer), 60, HostBatch.NO_CSUM, 0);
        }
    }

    /** No buffer still allocated, no event loop thread alive. */
    private static void assertClosedCleanly(PooledByteBufAllocator alloc, NettyUdpPort... ports) {
        assertThat(LeakCheck.active(alloc)).as("Netty buffers not released").isZero();
        for (NettyUdpPort p : ports) {
            assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(t -> t.getName().startsWith(p.threadNamePrefix() + "-") && t.isAlive())
                    .as("event loop threads of %s", p).isEmpty();
        }
    }

    /** Runs both hosts until {@code done}, for at most 10 s. */
    private static void pumpUntil(TwoHosts net, BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            int work = net.a.doWork() + net.b.doWork();
            if (work == 0) {
                if (System.nanoTime() > deadline) {
                    return; // the caller's assertions say what is missing
                }
                Thread.onSpinWait();
            }
        }
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
