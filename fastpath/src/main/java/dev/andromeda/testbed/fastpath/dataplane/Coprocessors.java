package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

/**
 * A host's coprocessors (Andromeda §4): work that is CPU-heavy or has no tight
 * latency target leaves the fast path for per-VM coprocessor threads, billed
 * to the VM it is for, and comes back on a later turn of the host's loop. The
 * fast path never waits: a full ring is a counted drop.
 *
 * <ul>
 *   <li>PSP's AES-GCM while the crypto stage runs in software -- sealing billed
 *       to the sending VM, opening to the host itself ({@link #HOST}: PSP is
 *       opened before the VM is known, and a hoverboard's forwarding belongs to
 *       no VM);</li>
 *   <li>traffic to and from the Internet: egress through the VM's ACL and WAN
 *       token-bucket shaper, ingress through its DoS guard and ACL.</li>
 * </ul>
 *
 * <p>The {@code coprocessor} module implements this over its SPSC rings and
 * floating workers; the host calls every method on its own thread.
 */
public interface Coprocessors extends AutoCloseable {
    /** The coprocessor service of the host itself (work billed to no VM); VM ports are >= 0. */
    int HOST = -1;

    /**
     * Hands a filled batch (made with {@link CryptoBatch#shared}) to the coprocessor serving
     * {@code vmPort}.
     *
     * @param token given back with the completion
     * @return false when that coprocessor's ring is full (nothing was taken)
     */
    boolean submitCrypto(int vmPort, CryptoBatch batch, int token);

    /**
     * Hands a frame bound for the Internet ({@code egress}) or arrived from it to the VM's
     * coprocessor; the buffer travels with it and comes back in the completion.
     *
     * @param headers the frame's parsed headers (addresses, ports, protocol)
     * @return false when the ring is full or the VM has no coprocessor (nothing was taken)
     */
    boolean submitInternet(int vmPort, boolean egress, int vni, int buffer, long offset, int length,
                           ParsedPacket headers);

    /** Calls {@code done} for each piece of work finished since the last call; returns how many. */
    int drain(Completion done);

    /** CPU time the coprocessor threads have spent for this host, in ns. */
    long cpuNs();

    /** Finished work, as the host takes it back. */
    interface Completion {
        /** @param ok the batch ran (per-operation results are in the batch); false: it was dropped */
        void crypto(int token, boolean ok);

        /** @param passed the ACL, DoS guard and shaper let it through; false: dropped (their counters say why) */
        void internet(int vmPort, boolean egress, boolean passed, int buffer, long offset, int length);
    }

    @Override
    void close();
}
