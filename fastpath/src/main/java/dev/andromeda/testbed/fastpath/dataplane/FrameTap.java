package dev.andromeda.testbed.fastpath.dataplane;

import java.lang.foreign.MemorySegment;

/**
 * Sees each frame a link carries, as a capture on the wire would (for pcap
 * files). Called on the sending host's thread with the frame in that host's
 * packet memory, valid only during the call: copy what you keep. Hosts on
 * different threads call it concurrently: a tap that writes a file must
 * serialise.
 */
@FunctionalInterface
public interface FrameTap {
    void frame(MemorySegment memory, long offset, int length);
}
