package dev.andromeda.testbed.tb.fuzz;

import dev.andromeda.testbed.fastpath.packet.DropReason;
import dev.andromeda.testbed.fastpath.packet.PacketParser;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * {@code tb fuzz --target parser}: the packet parser alone, as fastpath's PacketParserFuzzTest
 * (JUnit, Jazzer) runs it: any bytes come back as a reason, never an exception, parsed in a segment
 * exactly their size (a read past the end throws) and again 128 bytes into a larger one, as a pool
 * buffer holds a frame; both parses agree, and a parsed packet's payload lies inside the frame.
 */
public final class ParserFuzz {
    private static final ParsedPacket AT_START = new ParsedPacket();
    private static final ParsedPacket IN_BUFFER = new ParsedPacket();

    private ParserFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] frame) {
        MemorySegment exact = MemorySegment.ofArray(frame.clone());
        DropReason reason = PacketParser.parse(exact, 0, frame.length, AT_START);
        MemorySegment buffer = MemorySegment.ofArray(new byte[PacketPool.HEADROOM + frame.length]);
        MemorySegment.copy(exact, 0, buffer, PacketPool.HEADROOM, frame.length);
        DropReason again = PacketParser.parse(buffer, PacketPool.HEADROOM, frame.length, IN_BUFFER);
        if (again != reason) {
            throw new AssertionError("the same bytes at offset 128 parse as " + again + ", at 0 as " + reason);
        }
        if (reason == DropReason.NONE) {
            long payload = AT_START.payloadOffset();
            if (payload < 0 || payload > frame.length) {
                throw new AssertionError("payload offset " + payload + " outside a " + frame.length + "-byte frame");
            }
            if (IN_BUFFER.payloadOffset() - PacketPool.HEADROOM != payload) {
                throw new AssertionError("payload at " + payload + " from 0, at " + IN_BUFFER.payloadOffset() + " from 128");
            }
        }
    }

    /** A few well-formed frames to start from (the fastpath test corpus has more kinds). */
    static List<byte[]> seeds() {
        byte[] p = "parser seed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return List.of(FuzzNet.guestFrame(false, 0x04D2_0035, p, 0, p.length),
                FuzzNet.guestFrame(true, 0x04D2_0050, p, 0, p.length));
    }
}
