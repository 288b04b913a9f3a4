package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;

/**
 * Ethernet II header accessors over off-heap memory, Agrona-flyweight style:
 * static methods over {@code (segment, offset of the header's first byte)},
 * network byte order, no bounds checks beyond the segment's own (the parser
 * checks lengths before it reads).
 *
 * <pre>
 *  offset  size  field
 *   0       6    destination MAC
 *   6       6    source MAC
 *  12       2    ethertype (or a VLAN TPID: 0x8100, 0x88A8, then {@link Vlan})
 *  14            payload
 * </pre>
 *
 * MAC addresses are handled as the low 48 bits of a {@code long},
 * {@code 0x0200_0000_0001L} being {@code 02:00:00:00:00:01}.
 */
public final class Ethernet {
    public static final int HEADER_BYTES = 14;
    public static final int DST_MAC_OFFSET = 0;
    public static final int SRC_MAC_OFFSET = 6;
    public static final int ETHERTYPE_OFFSET = 12;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86DD;
    /** IEEE 802.1Q customer VLAN tag. */
    public static final int TYPE_VLAN = 0x8100;
    /** IEEE 802.1ad service VLAN tag (the outer tag of QinQ). */
    public static final int TYPE_QINQ = 0x88A8;
    /** Transparent Ethernet Bridging: what a GENEVE header says when an Ethernet frame follows. */
    public static final int TYPE_TEB = 0x6558;

    private Ethernet() {
    }

    public static long dstMac(MemorySegment m, long at) {
        return NetworkOrder.u48(m, at + DST_MAC_OFFSET);
    }

    public static void dstMac(MemorySegment m, long at, long mac) {
        NetworkOrder.setU48(m, at + DST_MAC_OFFSET, mac);
    }

    public static long srcMac(MemorySegment m, long at) {
        return NetworkOrder.u48(m, at + SRC_MAC_OFFSET);
    }

    public static void srcMac(MemorySegment m, long at, long mac) {
        NetworkOrder.setU48(m, at + SRC_MAC_OFFSET, mac);
    }

    public static int etherType(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + ETHERTYPE_OFFSET);
    }

    public static void etherType(MemorySegment m, long at, int etherType) {
        NetworkOrder.setU16(m, at + ETHERTYPE_OFFSET, etherType);
    }
}
