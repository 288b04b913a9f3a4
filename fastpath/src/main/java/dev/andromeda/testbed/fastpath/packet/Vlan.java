package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;

/**
 * IEEE 802.1Q tag accessors. The tag's TPID (0x8100, or 0x88A8 for an
 * 802.1ad service tag) sits where the Ethernet ethertype would be, so these
 * methods take the offset of the 4 bytes that follow it, 14 bytes into the
 * frame for the first tag:
 *
 * <pre>
 *  frame offset  size  field
 *   0             12   destination and source MAC
 *  12              2   TPID 0x8100 ({@link Ethernet#etherType})
 *  14              2   TCI      = PCP (3 bits) | DEI (1 bit) | VID (12 bits)   &lt;- at
 *  16              2   inner ethertype (0x0800, 0x86DD, or 0x8100 again for QinQ)
 *  18                  payload
 *
 *   TCI:  15 14 13 | 12  | 11 ............... 0
 *         PCP      | DEI | VLAN identifier
 * </pre>
 */
public final class Vlan {
    /** Bytes a tag adds to the frame. */
    public static final int TAG_BYTES = 4;
    public static final int TCI_OFFSET = 0;
    public static final int INNER_ETHERTYPE_OFFSET = 2;
    public static final int VLAN_ID_MASK = 0x0FFF;

    private Vlan() {
    }

    public static int tci(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + TCI_OFFSET);
    }

    public static void tci(MemorySegment m, long at, int tci) {
        NetworkOrder.setU16(m, at + TCI_OFFSET, tci);
    }

    public static int vlanId(MemorySegment m, long at) {
        return tci(m, at) & VLAN_ID_MASK;
    }

    /** Sets the 12-bit VID, keeping PCP and DEI. */
    public static void vlanId(MemorySegment m, long at, int vlanId) {
        tci(m, at, (tci(m, at) & ~VLAN_ID_MASK) | (vlanId & VLAN_ID_MASK));
    }

    /** Priority code point, 0..7. */
    public static int priority(MemorySegment m, long at) {
        return tci(m, at) >>> 13;
    }

    public static boolean dropEligible(MemorySegment m, long at) {
        return (tci(m, at) & 0x1000) != 0;
    }

    public static int innerEtherType(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + INNER_ETHERTYPE_OFFSET);
    }

    public static void innerEtherType(MemorySegment m, long at, int etherType) {
        NetworkOrder.setU16(m, at + INNER_ETHERTYPE_OFFSET, etherType);
    }
}
