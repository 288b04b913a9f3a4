package dev.andromeda.testbed.fastpath.packet;

import static org.assertj.core.api.Assertions.assertThat;

/** What must hold of any parse that returned NONE, whatever the bytes: shared by the property and fuzz tests. */
final class ParsedPacketInvariants {
    private ParsedPacketInvariants() {
    }

    static void assertConsistent(ParsedPacket p, long offset, int length, String context) {
        long end = offset + length;
        assertThat(p.l2Offset()).as(context).isEqualTo(offset);
        assertThat(p.l3Offset()).as(context).isBetween(offset + 14, end);
        assertThat(p.ipVersion()).as(context).isIn(4, 6);
        long ipEnd = p.l3Offset() + p.ipPacketLength();
        assertThat(ipEnd).as(context).isLessThanOrEqualTo(end);
        assertThat(p.l4Offset()).as(context).isBetween(p.l3Offset(), ipEnd);
        assertThat(p.payloadOffset()).as(context).isBetween(p.l4Offset(), ipEnd);
        assertThat(p.payloadLength()).as(context).isNotNegative();
        assertThat(p.payloadOffset() + p.payloadLength()).as(context).isLessThanOrEqualTo(ipEnd);
        assertThat(p.protocol()).as(context).isBetween(0, 255);
        if (!p.hasTransportHeader()) {
            assertThat(p.srcPort()).as(context).isZero();
            assertThat(p.dstPort()).as(context).isZero();
        }
        if (p.isFragment() && !p.isFirstFragment()) {
            assertThat(p.hasTransportHeader()).as(context).isFalse();
            assertThat(p.fragmentOffset()).as(context).isPositive();
        }
        if (p.isGeneve()) {
            assertThat(p.isFragment()).as(context).isFalse();
            assertThat(p.vni()).as(context).isBetween(0, 0xFF_FFFF);
            assertThat(p.innerOffset()).as(context).isBetween(p.payloadOffset() + 8, ipEnd);
            assertThat(p.innerOffset() + p.innerLength()).as(context)
                    .isEqualTo(p.payloadOffset() + p.payloadLength());
        } else {
            assertThat(p.innerOffset()).as(context).isEqualTo(-1);
        }
    }
}
