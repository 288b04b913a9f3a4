package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.Ethernet;
import dev.andromeda.testbed.fastpath.packet.Ipv4;
import dev.andromeda.testbed.fastpath.packet.PacketPool;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel path of the Andromeda versions before 2.0: hosts joined by real
 * UDP sockets on the loopback interface, a datagram per frame, sent with a
 * system call each and received by a thread blocked in {@code receive()} that
 * hands each datagram to the dataplane and wakes it -- a copy into the kernel,
 * one out of it, one into the dataplane's buffer, and a wake-up.
 *
 * <pre>
 *  dataplane A --send()--> [kernel, loopback] --receive()--> kernel-rx thread of B
 *                                                              | queue + wake(B)
 *                                                     dataplane B --receive(batch)
 * </pre>
 *
 * {@link Mode#PER_PACKET}: the dataplane takes one datagram per receive (per
 * wake-up), as the pre-Andromeda VMM did; {@link Mode#BATCHED}: as many as its
 * batch holds (Andromeda 1.0's batched kernel path).
 *
 * <p>UDP loses what overflows a socket's receive buffer, so a sender holds a
 * frame while its destination's socket holds {@link #WINDOW_FRAMES} frames or
 * {@link #WINDOW_BYTES} bytes its receive thread has not taken yet (a bounded wait:
 * after {@link #STALL_NANOS} the frame is refused and counted, never silently
 * lost). Frames for an address no port has are refused and counted too.
 */
public final class KernelUdpPath implements AutoCloseable {
    /** How much of a frame a port takes from its socket per receive. */
    public enum Mode { PER_PACKET, BATCHED }

    static final int WINDOW_FRAMES = 64;
    static final int WINDOW_BYTES = 96 * 1024;
    static final long STALL_NANOS = 5_000_000_000L;
    private static final int MAX_DATAGRAM = 16_384;

    private final Mode mode;
    private final Map<Integer, Port> byIp = new ConcurrentHashMap<>();
    private final List<Port> ports = new ArrayList<>();
    private final AtomicLong refused = new AtomicLong();

    public KernelUdpPath(Mode mode) {
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * A host's port: a socket bound to loopback and its receive thread, started now.
     *
     * @param wake run by the receive thread after each datagram it queued (wakes a blocked dataplane)
     */
    public synchronized PhysicalPort attach(String hostName, int hostIp, Runnable wake) throws IOException {
        if (byIp.containsKey(hostIp)) {
            throw new IllegalArgumentException("a port for " + Integer.toHexString(hostIp) + " is attached already");
        }
        Port p = new Port(hostName, hostIp, wake);
        byIp.put(hostIp, p);
        ports.add(p);
        p.rx.start();
        return p;
    }

    /** Sockets open (one a port). */
    public synchronized int openSockets() {
        return (int) ports.stream().filter(p -> p.channel.isOpen()).count();
    }

    /** The ports' receive threads (for their CPU time). */
    public synchronized List<Thread> threads() {
        return ports.stream().map(p -> p.rx).toList();
    }

    /** Frames sent that no dataplane has taken yet (in the kernel or queued for one). */
    public long inFlight() {
        long n = 0;
        for (Port p : byIp.values()) {
            n += p.sentFrames.get() - p.takenFrames.get();
        }
        return n;
    }

    /** Frames refused: no port at the address, a stalled receiver, or a socket error. */
    public long refused() {
        return refused.get();
    }

    @Override
    public synchronized void close() {
        for (Port p : ports) {
            try {
                p.channel.close(); // the blocked receive() returns with an exception and the thread ends
            } catch (IOException ignored) {
                // closing: nothing to do
            }
        }
        for (Port p : ports) {
            try {
                p.rx.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Port implements PhysicalPort {
        final DatagramChannel channel;
        final InetSocketAddress address;
        final Thread rx;
        final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
        final AtomicLong sentFrames = new AtomicLong();
        final AtomicLong sentBytes = new AtomicLong();
        final AtomicLong takenFrames = new AtomicLong();
        /** Taken out of the kernel by the receive thread: what sent minus these is in the socket's buffer. */
        final AtomicLong rxFrames = new AtomicLong();
        final AtomicLong rxBytes = new AtomicLong();
        /** The dataplane thread's: reused for every send. */
        private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_DATAGRAM);

        Port(String hostName, int ip, Runnable wake) throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20); // the kernel caps it at rmem_max
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            address = (InetSocketAddress) channel.getLocalAddress();
            rx = new Thread(() -> receiveLoop(wake), "kernel-rx-" + hostName);
            rx.setDaemon(true);
        }

        /** Blocked in receive(), one datagram at a time, each copied out and handed over with a wake-up. */
        private void receiveLoop(Runnable wake) {
            ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);
            while (channel.isOpen()) {
                try {
                    in.clear();
                    channel.receive(in);
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    refused.incrementAndGet();
                    continue;
                }
                in.flip();
                byte[] frame = new byte[in.remaining()];
                in.get(frame);
                received.add(frame);
                rxFrames.incrementAndGet();
                rxBytes.addAndGet(frame.length);
                wake.run();
            }
        }

        @Override
        public int transmit(HostBatch batch, PacketPool pool) {
            int sent = 0;
            MemorySegment mem = pool.memory();
            for (int i = 0; i < batch.size(); i++) {
                if (batch.dead[i]) {
                    continue;
                }
                long at = batch.packets.offset[i];
                int len = batch.packets.length[i];
                Port to = len >= Ethernet.HEADER_BYTES + Ipv4.MIN_HEADER_BYTES
                        ? byIp.get(Ipv4.dst(mem, at + Ethernet.HEADER_BYTES)) : null;
                if (to != null && len <= MAX_DATAGRAM && to.awaitWindow()) {
                    out.clear();
                    MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, at, MemorySegment.ofBuffer(out), ValueLayout.JAVA_BYTE,
                            0, len);
                    out.limit(len);
                    try {
                        channel.send(out, to.address);   // a system call per frame: the kernel path's cost
                        to.sentFrames.incrementAndGet();
                        to.sentBytes.addAndGet(len);
                        sent++;
                    } catch (IOException e) {
                        refused.incrementAndGet();
                    }
                } else {
                    refused.incrementAndGet();
                }
                pool.free(batch.packets.buffer[i]);
                batch.kill(i); // sent, or refused: the caller counts the refused as PORT_FULL
            }
            return sent;
        }

        /**
         * Waits (bounded) until this port's socket buffer has room in the window; false when it stalled.
         * Counted against the receive thread, not the dataplane: the dataplane may be this very thread.
         */
        private boolean awaitWindow() {
            long deadline = 0;
            while (sentFrames.get() - rxFrames.get() >= WINDOW_FRAMES
                    || sentBytes.get() - rxBytes.get() >= WINDOW_BYTES) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + STALL_NANOS;
                } else if (now > deadline) {
                    return false;
                }
                Thread.yield(); // the receiver runs on another thread; give it the core
            }
            return true;
        }

        @Override
        public int receive(HostBatch into, PacketPool pool) {
            int room = mode == Mode.PER_PACKET ? Math.min(1, into.packets.capacity() - into.size())
                    : into.packets.capacity() - into.size();
            int got = 0;
            while (got < room) {
                byte[] f = received.peek();
                if (f == null) {
                    break;
                }
                int buffer = pool.allocate();
                if (buffer < 0) {
                    break; // no buffer: the frame waits for the next receive
                }
                received.poll();
                long at = pool.frameOffset(buffer);
                MemorySegment.copy(f, 0, pool.memory(), ValueLayout.JAVA_BYTE, at, f.length);
                into.add(buffer, at, f.length, HostBatch.NO_CSUM, 0);
                takenFrames.incrementAndGet();
                got++;
            }
            return got;
        }
    }
}
