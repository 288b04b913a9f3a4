package dev.andromeda.testbed.transport.netty;

import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.PhysicalPort;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import org.jctools.queues.SpscArrayQueue;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A host's physical port over a real UDP socket, so hosts can run as separate
 * processes: each frame the dataplane transmits (the whole outer Ethernet
 * frame) is one datagram to the peer's address, and each datagram received
 * is one frame handed to the ingress pipeline.
 *
 * <p>Threads. One Netty event loop thread (native epoll when
 * {@link Epoll#isAvailable()}, NIO otherwise) owns the socket. {@link #transmit}
 * and {@link #receive} run on the dataplane thread, the only thread that
 * touches the host's {@link PacketPool}:
 * <ul>
 *   <li>transmit copies each live frame out of the pool into a pooled direct
 *       {@link ByteBuf}, writes one {@link DatagramPacket} per frame and flushes
 *       once per batch; the writes are queued to the event loop by Netty.</li>
 *   <li>the event loop puts every received datagram's buffer on a bounded
 *       single-producer single-consumer JCTools {@code SpscArrayQueue}; receive drains it
 *       into pool buffers and releases the Netty buffers.</li>
 * </ul>
 *
 * <p>Nothing is lost silently: a frame the channel refuses (not writable,
 * closed, no peer) is counted in {@code notWritable} and left out of
 * transmit's return value, which the caller counts as {@code PORT_FULL}; a
 * write that fails later is counted in {@code sendFailed}; a datagram that
 * finds the ring full is counted in {@code queueFull}; a datagram longer than
 * {@link Options#maxDatagramBytes} or than the pool's
 * {@link PacketPool#maxFrameBytes()} is counted in {@code oversize}. The kernel
 * still drops datagrams when the receive buffer overflows, which this port
 * cannot see: the socket buffers are raised ({@link Options#socketBufferBytes},
 * capped by {@code net.core.rmem_max}/{@code wmem_max}) and senders should pace.
 *
 * <p>{@link #close()} must be called by the dataplane thread (or once it has
 * stopped): it closes the socket, shuts the event loop down, waits for its
 * thread to end and releases the datagrams still queued.
 */
public final class NettyUdpPort implements PhysicalPort, AutoCloseable {

    /** The socket transport. */
    public enum Transport {
        /** Netty's native epoll transport (Linux). */
        EPOLL,
        /** The JDK's NIO selector transport. */
        NIO;

        /** Epoll when it is available, NIO otherwise. */
        public static Transport best() {
            return Epoll.isAvailable() ? EPOLL : NIO;
        }
    }

    /**
     * Why native epoll cannot be used, or null when it can.
     */
    public static Throwable epollUnavailabilityCause() {
        return Epoll.unavailabilityCause();
    }

    /**
     * @param transport          socket transport
     * @param socketBufferBytes  SO_RCVBUF and SO_SNDBUF requested (the kernel caps them at rmem_max / wmem_max)
     * @param queueCapacity      datagrams received but not yet taken by the dataplane (a power of two)
     * @param maxDatagramBytes   longest datagram accepted from the socket; longer ones are counted as oversize
     * @param writeHighWaterMark bytes queued for sending above which the channel is not writable
     * @param allocator          where the datagram buffers come from (pooled, direct)
     */
    public record Options(Transport transport, int socketBufferBytes, int queueCapacity, int maxDatagramBytes,
                          int writeHighWaterMark, ByteBufAllocator allocator) {
        public Options {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(allocator, "allocator");
            if (queueCapacity < 2 || Integer.bitCount(queueCapacity) != 1) {
                throw new IllegalArgumentException("queueCapacity must be a power of two: " + queueCapacity);
            }
            if (maxDatagramBytes <= 0 || maxDatagramBytes > 65_507) {
                throw new IllegalArgumentException("maxDatagramBytes must be in 1..65507: " + maxDatagramBytes);
            }
            if (socketBufferBytes <= 0 || writeHighWaterMark < 2) {
                throw new IllegalArgumentException("buffer sizes must be positive");
            }
        }

        /** Best transport, 4 MiB socket buffers, 4,096 queued datagrams, 16 KiB datagrams, 4 MiB write mark. */
        public static Options defaults() {
            return new Options(Transport.best(), 4 << 20, 4096, 16_384, 4 << 20, PooledByteBufAllocator.DEFAULT);
        }

        public Options transport(Transport t) {
            return new Options(t, socketBufferBytes, queueCapacity, maxDatagramBytes, writeHighWaterMark, allocator);
        }

        public Options queueCapacity(int n) {
            return new Options(transport, socketBufferBytes, n, maxDatagramBytes, writeHighWaterMark, allocator);
        }

        public Options maxDatagramBytes(int n) {
            return new Options(transport, socketBufferBytes, queueCapacity, n, writeHighWaterMark, allocator);
        }

        public Options allocator(ByteBufAllocator a) {
            return new Options(transport, socketBufferBytes, queueCapacity, maxDatagramBytes, writeHighWaterMark, a);
        }
    }

    /**
     * A snapshot of the port's counters.
     *
     * @param sent        datagrams the socket took (write completed)
     * @param sendFailed  datagrams whose write failed after transmit accepted them
     * @param notWritable frames transmit refused: channel not writable, closed, or no peer
     * @param arrived     datagrams read from the socket
     * @param received    frames handed to the dataplane by {@link #receive}
     * @param queueFull   datagrams dropped because the dataplane had not drained the queue
     * @param oversize    datagrams longer than the port's or the pool's largest frame
     * @param errors      exceptions on the channel (e.g. ICMP errors reported on the socket)
     * @param noPeer      frames for an outer destination with no endpoint in the peer table
     */
    public record Counters(long sent, long sendFailed, long notWritable, long arrived, long received,
                           long queueFull, long oversize, long errors, long noPeer) {
        /** Frames lost here, whatever the reason. */
        public long dropped() {
            return sendFailed + notWritable + queueFull + oversize + noPeer;
        }
    }

    private static final AtomicInteger IDS = new AtomicInteger();

    private final Options options;
    private final EventLoopGroup group;
    private final List<Thread> threads;
    private final Channel channel;
    private final InetSocketAddress local;
    private final ByteBufAllocator alloc;
    private final SpscArrayQueue<ByteBuf> queue;
    private final String threadPrefix;
    private volatile InetSocketAddress peer;
    /** Where each outer destination address is reached, when the port talks to many hosts; replaced whole. */
    private volatile PeerTable peers = PeerTable.EMPTY;
    private volatile boolean closed;

    // Written by the event loop thread.
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailed = new AtomicLong();
    private final AtomicLong arrived = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    // Written by the dataplane thread (oversize by both).
    private final AtomicLong notWritable = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong noPeer = new AtomicLong();

    /**
     * The UDP endpoint of every host this port can reach, by its IPv4 address (the outer destination
     * of the frames the dataplane transmits): sorted addresses and their endpoints, searched without
     * allocating. Immutable; {@link #peers(java.util.Map)} swaps a new one in.
     */
    private record PeerTable(int[] ips, InetSocketAddress[] endpoints) {
        static final PeerTable EMPTY = new PeerTable(new int[0], new InetSocketAddress[0]);

        InetSocketAddress of(int ip) {
            int i = java.util.Arrays.binarySearch(ips, ip);
            return i < 0 ? null : endpoints[i];
        }
    }

    /** Counts a write's outcome on the event loop; one instance, no allocation per frame. */
    private final ChannelFutureListener onWritten = f -> {
        if (f.isSuccess()) {
            sent.incrementAndGet();
        } else {
            sendFailed.incrementAndGet();
        }
    };

    private NettyUdpPort(Options options, InetSocketAddress localRequest, InetSocketAddress peer) {
        this.options = options;
        this.peer = peer;
        this.alloc = options.allocator();
        this.queue = new SpscArrayQueue<>(options.queueCapacity());
        this.threadPrefix = "andromeda-udp-" + IDS.incrementAndGet();
        List<Thread> created = new CopyOnWriteArrayList<>();
        this.threads = created;
        DefaultThreadFactory tf = new DefaultThreadFactory(threadPrefix, true) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                Thread t = super.newThread(r, name);
                created.add(t);
                return t;
            }
        };
        boolean epoll = options.transport() == Transport.EPOLL;
        if (epoll && !Epoll.isAvailable()) {
            throw new IllegalStateException("epoll is not available", Epoll.unavailabilityCause());
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, tf, io);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, options.socketBufferBytes())
                .option(ChannelOption.SO_SNDBUF, options.socketBufferBytes())
                .option(ChannelOption.ALLOCATOR, alloc)
                // One byte more than the largest datagram accepted: a longer one shows up as too long
                // (it is truncated to this size by the kernel) and is counted, never passed on cut short.
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(options.maxDatagramBytes() + 1))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.writeHighWaterMark() / 2, options.writeHighWaterMark()))
                .handler(new Inbound());
        try {
            ChannelFuture bound = b.bind(localRequest).syncUninterruptibly();
            this.channel = bound.channel();
        } catch (RuntimeException e) {
            shutdownGroup();
            throw e;
        }
        this.local = (InetSocketAddress) channel.localAddress();
    }

    /**
     * Binds a port with {@link Options#defaults()}.
     *
     * @param local where to listen; port 0 picks a free port (see {@link #localAddress()})
     * @param peer  where frames go, or null to {@link #connect} later
     */
    public static NettyUdpPort bind(InetSocketAddress local, InetSocketAddress peer) {
        return bind(local, peer, Options.defaults());
    }

    public static NettyUdpPort bind(InetSocketAddress local, InetSocketAddress peer, Options options) {
        return new NettyUdpPort(options, Objects.requireNonNull(local, "local"), peer);
    }

    /** Sends to {@code peer} from now on (the socket stays unconnected: datagrams from anyone are received). */
    public NettyUdpPort connect(InetSocketAddress peer) {
        this.peer = Objects.requireNonNull(peer, "peer");
        return this;
    }

    /**
     * Sends each frame to the endpoint of its outer IPv4 destination from now on (any number of
     * hosts and hoverboards), instead of to one peer. A frame for an address not in the table, or
     * not IPv4, is dropped and counted in {@code noPeer}. The table replaces the previous one whole.
     *
     * @param byHostIp each host's IPv4 address (as the dataplane writes it) and its UDP endpoint
     */
    public NettyUdpPort peers(java.util.Map<Integer, InetSocketAddress> byHostIp) {
        int[] ips = byHostIp.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        InetSocketAddress[] eps = new InetSocketAddress[ips.length];
        for (int i = 0; i < ips.length; i++) {
            eps[i] = Objects.requireNonNull(byHostIp.get(ips[i]), "endpoint");
        }
        this.peers = new PeerTable(ips, eps);
        return this;
    }

    /** The bound address, with the actual port when bound to port 0. */
    public InetSocketAddress localAddress() {
        return local;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    public Transport transport() {
        return options.transport();
    }

    /** Prefix of the name of this port's event loop thread. */
    public String threadNamePrefix() {
        return threadPrefix;
    }

    /** Datagrams waiting for {@link #receive} (an estimate while datagrams arrive). */
    public int queued() {
        return queue.size();
    }

    public Counters counters() {
        return new Counters(sent.get(), sendFailed.get(), notWritable.get(), arrived.get(), received.get(),
                queueFull.get(), oversize.get(), errors.get(), noPeer.get());
    }

    /**
     * Sends the batch's live frames, one datagram each, and flushes once.
     * Every live frame's pool buffer is freed and the frame consumed, sent or not.
     *
     * @return frames handed to the socket; the others were refused and counted in {@code notWritable}
     */
    @Override
    public int transmit(HostBatch batch, PacketPool pool) {
        InetSocketAddress single = peer;
        PeerTable table = peers;
        boolean routed = table.ips().length > 0;
        Channel ch = channel;
        MemorySegment mem = pool.memory();
        int accepted = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.dead[i]) {
                continue;
            }
            int buffer = batch.packets.buffer[i];
            InetSocketAddress to = single;
            if (routed) {
                to = table.of(outerDestination(mem, batch.packets.offset[i], batch.packets.length[i]));
                if (to == null) {
                    noPeer.incrementAndGet();
                    pool.free(buffer);
                    batch.consume(i);
                    continue;
                }
            }
            // isWritable counts writes still queued to the event loop (Netty estimates their size
            // on submit) and is false once the channel is closed.
            if (to != null && !closed && ch.isWritable() && send(ch, to, mem, batch.packets.offset[i],
                    batch.packets.length[i])) {
                accepted++;
            } else {
                notWritable.incrementAndGet();
            }
            pool.free(buffer);
            batch.consume(i);
        }
        if (accepted > 0) {
            ch.flush();
        }
        return accepted;
    }

    private static final java.lang.foreign.ValueLayout.OfShort NET_SHORT = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED
            .withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfInt NET_INT = java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED
            .withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** The IPv4 destination of an untagged Ethernet frame, or 0 (no host has it) when it is not IPv4. */
    private static int outerDestination(MemorySegment mem, long offset, int length) {
        if (length < 34 || mem.get(NET_SHORT, offset + 12) != 0x0800) {
            return 0;
        }
        return mem.get(NET_INT, offset + 30);
    }

    private boolean send(Channel ch, InetSocketAddress to, MemorySegment mem, long offset, int length) {
        ByteBuf out;
        try {
            out = alloc.directBuffer(length, length);
        } catch (OutOfMemoryError e) {
            return false; // direct memory exhausted: refuse the frame, counted by the caller
        }
        try {
            out.writeBytes(mem.asSlice(offset, length).asByteBuffer());
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        // write() takes ownership of the buffer: Netty releases it once sent or failed.
        ch.write(new DatagramPacket(out, to)).addListener(onWritten);
        return true;
    }

    /**
     * Moves queued datagrams into pool buffers, up to the batch's room. A
     * datagram that finds no free buffer stays queued for the next call.
     *
     * @return frames added to {@code into}
     */
    @Override
    public int receive(HostBatch into, PacketPool pool) {
        int room = into.packets.capacity() - into.size();
        int max = pool.maxFrameBytes();
        MemorySegment mem = pool.memory();
        int got = 0;
        while (got < room) {
            ByteBuf d = queue.peek();
            if (d == null) {
                break;
            }
            int len = d.readableBytes();
            if (len > max) {
                queue.poll();
                d.release();
                oversize.incrementAndGet();
                continue;
            }
            int buffer = pool.allocate();
            if (buffer < 0) {
                break; // pool exhausted: leave the datagram queued
            }
            queue.poll();
            long at = pool.frameOffset(buffer);
            try {
                d.getBytes(d.readerIndex(), mem.asSlice(at, len).asByteBuffer());
            } finally {
                d.release();
            }
            into.add(buffer, at, len, HostBatch.NO_CSUM, 0);
            got++;
        }
        if (got > 0) {
            received.addAndGet(got);
        }
        return got;
    }

    /**
     * Closes the socket, shuts the event loop down gracefully, waits for its
     * thread and releases the datagrams still queued. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroup();
        // The event loop has ended (joined above): this thread is now the queue's only user.
        for (ByteBuf d; (d = queue.poll()) != null; ) {
            d.release();
        }
    }

    private void shutdownGroup() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "udp " + local + " -> " + peer + " (" + options.transport() + ", " + counters() + ")";
    }

    /** Runs on the event loop: datagrams into the ring, never into the pool. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket p)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ByteBuf content = p.content();
            if (content.readableBytes() > options.maxDatagramBytes()) {
                oversize.incrementAndGet();
                p.release();
            } else if (!queue.offer(content)) {
                queueFull.incrementAndGet();
                p.release();
            }
            // else: the ring owns the content now; the DatagramPacket holder is dropped unreleased on purpose.
            // Counted last, after the offer: a thread that sees the count sees the datagram in the
            // ring (or its drop counted). Counted first, a receive() right after it found the ring
            // empty now and then (NettyUdpPortTest, once in three suite runs).
            arrived.incrementAndGet();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.incrementAndGet(); // a UDP socket error does not close the channel; keep reading
        }
    }
}
