package dev.andromeda.testbed.fastpath.dataplane;

/**
 * A VM's network device as the guest drives it: its own {@link VirtioNic}
 * rings when the dataplane reads them directly (Andromeda 2.1 on), or the
 * VMM's emulated device in front of them ({@link VmmHop}) before.
 */
public interface GuestNic {
    /**
     * Sends a frame; with {@code csumStart >= 0} the device completes the L4 checksum (virtio NEEDS_CSUM).
     *
     * @return false when the device's ring is full (nothing is taken; try again)
     */
    boolean send(byte[] frame, int csumStart, int csumOffset);

    /** The next received frame, or null. */
    VirtioNic.Received receive();
}
