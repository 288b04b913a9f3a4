package dev.andromeda.testbed.fastpath.dataplane;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The VMM hop of the Andromeda versions before 2.1: the guest's device is
 * emulated by the VMM, whose I/O thread copies every frame between the guest
 * and the dataplane -- a thread hand-off and a copy each way.
 *
 * <pre>
 *  guest --send--> [tx queue] --vmm thread: copy--> [to dataplane] --{@link #pump}--> VirtioNic --> host
 *  guest <-receive- [rx queue] <-vmm thread: copy-- [from dataplane] <-{@link #pump}-- VirtioNic <-- host
 * </pre>
 *
 * The {@link VirtioNic} stays the dataplane thread's: {@link #pump} runs there.
 * {@link Mode#PER_PACKET}: the VMM thread wakes the next thread for every frame
 * and the guest kicks the VMM for every frame (the pre-Andromeda VMM);
 * {@link Mode#BATCHED}: it moves all that waits and wakes once (Andromeda 1.0's
 * optimised VMM pipeline). The queues are bounded ({@link #QUEUE_FRAMES}): a
 * guest's send is refused while its queue is full, and the VMM leaves frames
 * where they are while the next queue is.
 */
public final class VmmHop implements AutoCloseable {
    public enum Mode { PER_PACKET, BATCHED }

    static final int QUEUE_FRAMES = 256;

    private record Tx(byte[] frame, int csumStart, int csumOffset) {
    }

    private final Mode mode;
    private final List<Lane> lanes = new ArrayList<>();
    private final Waker vmm = new Waker();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Runnable wakeDataplane = () -> { };
    private final AtomicLong copies = new AtomicLong();

    public VmmHop(Mode mode, String name) {
        this.mode = mode;
        this.thread = new Thread(this::run, "vmm-hop-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Puts the VMM in front of a VM's NIC (before {@link #start}).
     *
     * @param wakeGuest run when a frame was put on the guest's receive queue (its interrupt)
     */
    public GuestNic attach(VirtioNic nic, Runnable wakeGuest) {
        if (thread.isAlive()) {
            throw new IllegalStateException("attach VMs before the VMM thread starts");
        }
        Lane l = new Lane(nic, wakeGuest);
        lanes.add(l);
        return l;
    }

    /** Starts the VMM's I/O thread; {@code wakeDataplane} is its doorbell to the dataplane. */
    public void start(Runnable wakeDataplane) {
        this.wakeDataplane = wakeDataplane;
        thread.start();
    }

    public Thread thread() {
        return thread;
    }

    /** Frames copied by the VMM thread, both ways. */
    public long copies() {
        return copies.get();
    }

    /** Frames inside the hop: sent by a guest and not yet on its NIC, or off a NIC and not yet taken by the guest. */
    public long inFlight() {
        long n = 0;
        for (Lane l : lanes) {
            n += l.guestSent.get() - l.onNic.get() + l.offNic.get() - l.guestTook.get();
        }
        return n;
    }

    /**
     * The dataplane thread's side: frames the VMM copied go onto the NICs' transmit rings, frames
     * the host delivered come off their receive rings to the VMM.
     *
     * @return frames moved
     */
    public int pump() {
        int moved = 0;
        boolean forVmm = false;
        for (int k = 0; k < lanes.size(); k++) {
            Lane l = lanes.get(k);
            for (Tx t; (t = l.toDataplane.peek()) != null; ) {
                if (!l.nic.send(t.frame, t.csumStart, t.csumOffset)) {
                    break; // the NIC's ring is full: the rest waits for the next turn
                }
                l.toDataplane.poll();
                l.onNic.incrementAndGet();
                moved++;
            }
            while (l.offNic.get() - l.guestTook.get() < QUEUE_FRAMES) {
                VirtioNic.Received r = l.nic.receive();
                if (r == null) {
                    break;
                }
                l.fromDataplane.add(r);
                l.offNic.incrementAndGet();
                moved++;
                forVmm = true;
                if (mode == Mode.PER_PACKET) {
                    vmm.wake();
                }
            }
        }
        if (forVmm && mode == Mode.BATCHED) {
            vmm.wake();
        }
        return moved;
    }

    private void run() {
        vmm.bindToCurrentThread();
        while (running) {
            int moved = 0;
            for (int k = 0; k < lanes.size(); k++) {
                moved += lanes.get(k).move();
            }
            if (moved == 0) {
                vmm.await(1_000_000); // asleep until a guest's kick or the dataplane's doorbell
            }
        }
    }

    @Override
    public void close() {
        running = false;
        vmm.wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One VM's queues through the VMM; its guest side is the {@link GuestNic} the guest drives. */
    private final class Lane implements GuestNic {
        final VirtioNic nic;
        final Runnable wakeGuest;
        final ConcurrentLinkedQueue<Tx> guestTx = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Tx> toDataplane = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<VirtioNic.Received> fromDataplane = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<VirtioNic.Received> guestRx = new ConcurrentLinkedQueue<>();
        final AtomicLong guestSent = new AtomicLong();
        final AtomicLong onNic = new AtomicLong();
        final AtomicLong offNic = new AtomicLong();
        final AtomicLong guestTook = new AtomicLong();

        Lane(VirtioNic nic, Runnable wakeGuest) {
            this.nic = nic;
            this.wakeGuest = wakeGuest;
        }

        @Override
        public boolean send(byte[] frame, int csumStart, int csumOffset) {
            if (guestSent.get() - onNic.get() >= QUEUE_FRAMES) {
                return false;
            }
            guestTx.add(new Tx(frame, csumStart, csumOffset));
            guestSent.incrementAndGet();
            vmm.wake(); // the guest's kick (virtio notify)
            return true;
        }

        @Override
        public VirtioNic.Received receive() {
            VirtioNic.Received r = guestRx.poll();
            if (r != null) {
                guestTook.incrementAndGet();
            }
            return r;
        }

        /** The VMM thread's turn on this VM: copy what waits, each way; wake the next thread. */
        int move() {
            int moved = 0;
            boolean forDataplane = false;
            for (Tx t; (t = guestTx.poll()) != null; ) {
                toDataplane.add(new Tx(t.frame.clone(), t.csumStart, t.csumOffset)); // the VMM's copy
                moved++;
                forDataplane = true;
                if (mode == Mode.PER_PACKET) {
                    wakeDataplane.run();
                }
            }
            boolean forGuest = false;
            for (VirtioNic.Received r; (r = fromDataplane.poll()) != null; ) {
                guestRx.add(new VirtioNic.Received(r.frame().clone(), r.dataValid())); // the VMM's copy
                moved++;
                forGuest = true;
                if (mode == Mode.PER_PACKET) {
                    wakeGuest.run();
                }
            }
            copies.addAndGet(moved);
            if (mode == Mode.BATCHED) {
                if (forDataplane) {
                    wakeDataplane.run();
                }
                if (forGuest) {
                    wakeGuest.run();
                }
            }
            return moved;
        }
    }
}
