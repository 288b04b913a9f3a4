package dev.andromeda.testbed.tb.ladder;

import dev.andromeda.testbed.fastpath.dataplane.GuestNic;
import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;

import java.lang.foreign.MemorySegment;

import static dev.andromeda.testbed.tb.frame.FrameFields.put16;

/**
 * What a guest's network stack does with its L4 checksums on a ladder rung:
 * without vNIC checksum offload (before Andromeda 1.5) it computes each one it
 * sends and verifies each one it receives itself, in the guest, in software;
 * with it, it leaves the field holding the pseudo-header sum and asks the
 * device (virtio NEEDS_CSUM), and trusts DATA_VALID on what it receives.
 * Frames are Ethernet/IPv4/UDP or TCP with no IP options; the checksum field
 * holds the pseudo-header sum when handed to {@link #send}.
 */
public final class GuestStack {
    static final int L4 = 14 + 20;

    private final boolean inGuest;
    private long badChecksums;

    public GuestStack(boolean checksumsInGuest) {
        this.inGuest = checksumsInGuest;
    }

    /** Sends; false when the device's ring is full (the frame is untouched, so it can be sent again). */
    public boolean send(GuestNic nic, byte[] frame) {
        boolean tcp = frame[23] == 6;
        int field = L4 + (tcp ? 16 : 6);
        if (!inGuest) {
            return nic.send(frame, L4, tcp ? 16 : 6);
        }
        int pseudo = get16(frame, field);
        int csum = InternetChecksum.checksum(MemorySegment.ofArray(frame), L4, frame.length - L4, 0);
        if (csum == 0 && !tcp) {
            csum = 0xFFFF; // RFC 768: a transmitted 0 would mean "no checksum"
        }
        put16(frame, field, csum);
        if (nic.send(frame, HostBatch.NO_CSUM, 0)) {
            return true;
        }
        put16(frame, field, pseudo); // as it was, for the next try
        return false;
    }

    /** The next received frame whose checksum holds (counted in {@link #badChecksums} when not), or null. */
    public byte[] receive(GuestNic nic) {
        for (VirtioNic.Received r; (r = nic.receive()) != null; ) {
            if (inGuest ? verifies(r.frame()) : r.dataValid()) {
                return r.frame();
            }
            badChecksums++;
        }
        return null;
    }

    public long badChecksums() {
        return badChecksums;
    }

    private static boolean verifies(byte[] f) {
        if (f.length < L4 + 8) {
            return false;
        }
        int proto = f[23] & 0xFF;
        long pseudo = get16(f, 26) + get16(f, 28) + get16(f, 30) + get16(f, 32) + proto + (f.length - L4);
        return InternetChecksum.fold(InternetChecksum.partialSum(MemorySegment.ofArray(f), L4, f.length - L4)
                + pseudo) == 0xFFFF;
    }

    private static int get16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | (f[at + 1] & 0xFF);
    }
}
