package dev.andromeda.testbed.tb.ladder;

import dev.andromeda.testbed.fastpath.agent.Agent;
import dev.andromeda.testbed.fastpath.dataplane.GuestNic;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.KernelUdpPath;
import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.fastpath.dataplane.MemoryLink;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.dataplane.VmmHop;
import dev.andromeda.testbed.fastpath.dataplane.Waker;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Two hosts, one VM each, wired as a {@link LadderRung} says: the real
 * {@link Host} dataplanes (one thread runs both, as the testbed's other runs
 * do on this machine's two cores), joined by loopback UDP sockets or an
 * in-memory link, with or without the VMM's thread in front of each VM.
 *
 * <p>Threads: {@code ladder-dataplane} (busy-polling, or asleep on a
 * {@link Waker} until a doorbell); with a VMM hop, {@code vmm-hop-ladder} and
 * the guests' {@code ladder-vcpu}; on the kernel path, a {@code kernel-rx-*}
 * thread per host. Without a VMM hop the guests run on the dataplane's thread:
 * {@link VirtioNic} is single-threaded, and there is no hand-off to make --
 * the dataplane reads the rings the guest writes.
 */
public final class LadderNetwork implements AutoCloseable {
    public static final int VNI = 100;
    public static final int HOST_A = 0xC0A80001;
    public static final int HOST_B = 0xC0A80002;
    public static final long HOST_A_MAC = 0x02_00_00_00_0A_01L;
    public static final long HOST_B_MAC = 0x02_00_00_00_0B_01L;
    public static final int VM_A = 0x0A000001;
    public static final int VM_B = 0x0A000002;
    public static final long VM_A_MAC = 0x02_AA_00_00_00_01L;
    public static final long VM_B_MAC = 0x02_BB_00_00_00_01L;
    static final int BUFFER_BYTES = 10_240 + 256;

    public final LadderRung rung;
    public final Host a;
    public final Host b;
    private final VirtioNic nicA;
    private final VirtioNic nicB;
    /** The guests' devices: the NICs themselves, or the VMM's in front of them. */
    public final GuestNic guestA;
    public final GuestNic guestB;
    private final MemoryLink link;
    private final KernelUdpPath kernel;
    private final VmmHop hop;
    private final Waker dataplaneDoorbell = new Waker();
    private final Waker guestDoorbell = new Waker();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile Throwable failure;
    private final Thread dataplane;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Agent guests;

    public LadderNetwork(LadderRung rung, OffloadOptions options) throws IOException {
        this.rung = rung;
        // The hosts are built, run and closed on the dataplane thread: a host's descriptor rings and
        // hardware models belong to the thread that opens them.
        Host[] built = new Host[2];
        CompletableFuture<Void> ready = new CompletableFuture<>();
        dataplane = new Thread(() -> {
            try {
                built[0] = new Host("ladder-a", HOST_A, HOST_A_MAC, 2048, BUFFER_BYTES, rung.mix(), options);
                built[1] = new Host("ladder-b", HOST_B, HOST_B_MAC, 2048, BUFFER_BYTES, rung.mix(), options);
                ready.complete(null);
            } catch (Throwable t) {
                ready.completeExceptionally(t);
                return;
            }
            try {
                started.await();
                guard(this::dataplaneLoop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                built[0].close();
                built[1].close();
            }
        }, "ladder-dataplane");
        dataplane.setDaemon(true);
        dataplane.start();
        try {
            ready.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("the ladder's hosts could not be built: " + e.getCause(), e.getCause());
        }
        a = built[0];
        b = built[1];
        threads.add(dataplane);
        a.egressBatchLimit(rung.egressBatch());
        b.egressBatchLimit(rung.egressBatch());
        if (rung.kernelPath() != null) {
            link = null;
            kernel = new KernelUdpPath(rung.kernelPath());
            a.connect(kernel.attach(a.name(), HOST_A, dataplaneDoorbell::wake));
            b.connect(kernel.attach(b.name(), HOST_B, dataplaneDoorbell::wake));
        } else {
            kernel = null;
            link = new MemoryLink(1024, 16_384);
            a.connect(link.a());
            b.connect(link.b());
        }
        nicA = a.addVm(new VmPort(1, VNI, VM_A, VM_A_MAC));
        nicB = b.addVm(new VmPort(1, VNI, VM_B, VM_B_MAC));
        program(a, VM_A, VM_B, 1);
        program(b, VM_B, VM_A, 0);
        if (rung.vmmHop() != null) {
            hop = new VmmHop(rung.vmmHop(), "ladder");
            guestA = hop.attach(nicA, guestDoorbell::wake);
            guestB = hop.attach(nicB, guestDoorbell::wake);
        } else {
            hop = null;
            guestA = nicA;
            guestB = nicB;
        }
    }

    /** Host list [a, b] on both; flows VM to peer VM, UDP and TCP. */
    private static void program(Host h, int local, int remote, int peerIndex) {
        FlowTableBuilder f = new FlowTableBuilder();
        f.host(HOST_A, HOST_A_MAC);
        f.host(HOST_B, HOST_B_MAC);
        for (int proto : new int[] {6, 17}) {
            f.flow(VNI, proto, local, remote, FlowAction.encapToHost(peerIndex), FirewallPolicy.ALLOW_ALL);
        }
        h.flows().publish(f.build());
    }

    /**
     * Starts the threads; {@code guests} is both VMs' work (one duty cycle: send, receive),
     * run on the vCPU thread with a VMM hop, else on the dataplane's.
     */
    public void start(Agent guests) {
        this.guests = guests;
        running = true;
        if (hop != null) {
            Thread vcpu = new Thread(() -> guard(() -> vcpuLoop(guests)), "ladder-vcpu");
            threads.add(vcpu);
            threads.add(hop.thread());
            hop.start(dataplaneDoorbell::wake);
            vcpu.setDaemon(true);
            vcpu.start();
        }
        if (kernel != null) {
            threads.addAll(kernel.threads());
        }
        started.countDown(); // the dataplane thread, waiting since it built the hosts, starts its loop
    }

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            failure = t;
            running = false;
        }
    }

    private void dataplaneLoop() {
        dataplaneDoorbell.bindToCurrentThread();
        Agent guests = this.guests;
        while (running) {
            int work = 0;
            if (hop != null) {
                work += hop.pump();
            } else {
                work += guests.doWork();
            }
            work += a.doWork();
            work += b.doWork();
            if (hop != null) {
                work += hop.pump(); // what the hosts delivered goes to the VMM now, not a turn later
            }
            if (work == 0) {
                if (rung.busyPoll()) {
                    Thread.onSpinWait();
                } else {
                    dataplaneDoorbell.await(1_000_000); // asleep until a doorbell: the VMM's or the kernel's
                }
            }
        }
    }

    private void vcpuLoop(Agent guests) {
        guestDoorbell.bindToCurrentThread();
        while (running) {
            if (guests.doWork() == 0) {
                guestDoorbell.await(200_000); // the guest's vCPU halts until an interrupt
            }
        }
    }

    /** Stops the threads (the network stays readable); rethrows what a thread threw. */
    public void stop() throws InterruptedException {
        running = false;
        dataplaneDoorbell.wake();
        guestDoorbell.wake();
        for (Thread t : threads) {
            if (t.getName().startsWith("ladder-")) {
                t.join(10_000);
            }
        }
        if (failure != null) {
            throw new IllegalStateException("a ladder thread failed: " + failure, failure);
        }
    }

    /** The threads this configuration runs (for their CPU time). */
    public List<Thread> threads() {
        return List.copyOf(threads);
    }

    /** Loopback sockets open (0 when the hosts are joined in memory). */
    public int openSockets() {
        return kernel == null ? 0 : kernel.openSockets();
    }

    /** Whether a VMM thread copies frames between the guests and the dataplane. */
    public boolean hasVmmHop() {
        return hop != null;
    }

    /** Frames the VMM thread copied (0 without one). */
    public long vmmCopies() {
        return hop == null ? 0 : hop.copies();
    }

    /** Doorbells rung to wake the dataplane (0 when it busy-polls: nobody needs to). */
    public long dataplaneWakes() {
        return dataplaneDoorbell.wakes();
    }

    /** Frames the kernel path refused (stalled receiver, unknown address). */
    public long kernelRefused() {
        return kernel == null ? 0 : kernel.refused();
    }

    @Override
    public void close() {
        running = false;
        started.countDown(); // never started: the dataplane thread goes straight to closing the hosts
        dataplaneDoorbell.wake();
        guestDoorbell.wake();
        for (Thread t : threads) {
            if (t.getName().startsWith("ladder-")) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (hop != null) {
            hop.close();
        }
        if (kernel != null) {
            kernel.close();
        }
        if (link != null) {
            link.close();
        }
    }
}
