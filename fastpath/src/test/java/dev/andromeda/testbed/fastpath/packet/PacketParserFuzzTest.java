package dev.andromeda.testbed.fastpath.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer: any bytes, parsed twice, must come back as a reason, never an
 * exception. In a plain {@code mvn test} this runs the seed frames in
 * {@code src/test/resources/.../PacketParserFuzzTestInputs/fuzz/} (regression
 * mode); {@code JAZZER_FUZZ=1 mvn test -Dtest=PacketParserFuzzTest} fuzzes,
 * and whatever crashes it lands in that directory as a new regression input.
 *
 * <p>Each input is parsed in a segment exactly its size (a read past the end
 * throws, and Jazzer reports it) and again 128 bytes into a larger one, as
 * a pool buffer would hold it: both parses must agree.
 */
class PacketParserFuzzTest {
    private final ParsedPacket atStart = new ParsedPacket();
    private final ParsedPacket inBuffer = new ParsedPacket();
    private final ParsedPacket inner = new ParsedPacket();

    @FuzzTest(maxDuration = "2m")
    void fuzz(byte[] frame) {
        MemorySegment exact = MemorySegment.ofArray(frame.clone());
        DropReason reason = PacketParser.parse(exact, 0, frame.length, atStart);

        MemorySegment buffer = MemorySegment.ofArray(new byte[PacketPool.HEADROOM + frame.length]);
        MemorySegment.copy(exact, 0, buffer, PacketPool.HEADROOM, frame.length);
        assertThat(PacketParser.parse(buffer, PacketPool.HEADROOM, frame.length, inBuffer))
                .as("the same bytes elsewhere in memory").isEqualTo(reason);

        DropCounters counters = new DropCounters();
        counters.count(reason);
        if (reason == DropReason.NONE) {
            assertThat(counters.total()).isZero();
            ParsedPacketInvariants.assertConsistent(atStart, 0, frame.length, atStart.toString());
            assertThat(inBuffer.payloadOffset() - PacketPool.HEADROOM).isEqualTo(atStart.payloadOffset());
            if (atStart.isGeneve()) {
                DropReason innerReason = PacketParser.parse(exact, atStart.innerOffset(), atStart.innerLength(), inner);
                counters.count(innerReason);
                if (innerReason == DropReason.NONE) {
                    ParsedPacketInvariants.assertConsistent(inner, atStart.innerOffset(), atStart.innerLength(),
                            inner.toString());
                }
            }
        } else {
            assertThat(counters.get(reason)).as("a drop is counted under its reason").isEqualTo(1);
            assertThat(counters.total()).isEqualTo(1);
        }
    }
}
