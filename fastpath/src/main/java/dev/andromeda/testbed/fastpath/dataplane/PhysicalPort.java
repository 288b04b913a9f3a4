package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.psp.PspSa;

/**
 * A host's connection to the physical network. Kept an interface so an
 * emulated NIC (descriptor rings, doorbells, inline offloads built from the RTL
 * blocks) can sit behind it later; today an in-memory link does.
 */
public interface PhysicalPort {

    /**
     * Sends the batch's live frames and frees their buffers in {@code pool}.
     *
     * @return frames the port took; the rest were refused (ring full) and counted by the caller
     */
    int transmit(HostBatch batch, PacketPool pool);

    /**
     * Receives up to the batch's free capacity of frames into buffers from {@code pool}.
     *
     * @return frames received
     */
    int receive(HostBatch into, PacketPool pool);

    /**
     * Whether the port inserts the checksums left to it ({@link HostBatch#nicCsum}), as a NIC
     * does with virtio's NEEDS_CSUM; a port that does not gets none left (the host's checksum
     * stage computes them all).
     */
    default boolean insertsChecksums() {
        return false;
    }

    /**
     * The slot under which this port seals and opens PSP inline with {@code sa} ({@code
     * crypto=nic}), the SA installed on first use; -1 when it cannot (a plain wire, an SA it
     * has no room or no cipher for), and the host then does that SA's crypto itself. Called
     * on the dataplane's thread, as transmit and receive are.
     */
    default int pspSlot(PspSa sa) {
        return -1;
    }
}
