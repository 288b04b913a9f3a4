package dev.andromeda.testbed.fastpath.packet;

/**
 * Hashes an inner packet's 5-tuple for the outer UDP source port of its
 * tunnel packet. RFC 8926 §3.3 says the source port SHOULD be a hash of the
 * encapsulated headers: the underlay's ECMP and RSS hash only the outer
 * headers, so the source port is where the inner flow's entropy must go.
 * Every packet of a flow gets the same port (no reordering across paths);
 * different flows spread over the dynamic port range 49152..65535 (RFC 6335).
 * The RFC would allow all 16 bits; 14 keep the port clear of well-known
 * services in middlebox logs and still give 16,384 buckets.
 *
 * <p>The mixer is SplitMix64's finalizer (Stafford's variant 13): a few
 * multiplies and shifts per 64 bits, every input bit affecting every output
 * bit. It is not keyed; it spreads load, it does not resist an adversary.
 */
public final class FlowHash {
    public static final int MIN_SOURCE_PORT = 49152;
    public static final int MAX_SOURCE_PORT = 65535;

    private FlowHash() {
    }

    /** The hash of an IPv4 5-tuple. */
    public static int ipv4(int protocol, int srcIp, int dstIp, int srcPort, int dstPort) {
        long addresses = ((long) srcIp << 32) | Integer.toUnsignedLong(dstIp);
        return (int) (mix(mix(addresses) ^ ports(protocol, srcPort, dstPort)) >>> 32);
    }

    /** The hash of an IPv6 5-tuple, addresses as (hi, lo) pairs. */
    public static int ipv6(int protocol, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort) {
        long h = mix(srcHi);
        h = mix(h ^ srcLo);
        h = mix(h ^ dstHi);
        h = mix(h ^ dstLo);
        return (int) (mix(h ^ ports(protocol, srcPort, dstPort)) >>> 32);
    }

    /**
     * The hash of a parsed packet's 5-tuple; ports are 0 for ICMP and for
     * protocols without ports. A frame with no IP header hashes to 0.
     *
     * <p>Fragments: the first fragment carries ports and the later ones do
     * not, so they may hash to different source ports and take different
     * underlay paths. Inner fragments are rare behind a vNIC that honours the
     * tunnel MTU, and reordering between fragments does not hurt reassembly.
     */
    public static int of(ParsedPacket p) {
        return switch (p.ipVersion) {
            case 4 -> ipv4(p.protocol, p.ipv4Src, p.ipv4Dst, p.srcPort, p.dstPort);
            case 6 -> ipv6(p.protocol, p.ipv6SrcHi, p.ipv6SrcLo, p.ipv6DstHi, p.ipv6DstLo, p.srcPort, p.dstPort);
            default -> 0;
        };
    }

    /** Maps a hash to a UDP source port in 49152..65535, from its top 14 bits. */
    public static int sourcePort(int hash) {
        return MIN_SOURCE_PORT | (hash >>> 18);
    }

    private static long ports(int protocol, int srcPort, int dstPort) {
        return ((long) (protocol & 0xFF) << 32) | ((long) (srcPort & 0xFFFF) << 16) | (dstPort & 0xFFFF);
    }

    /** SplitMix64 finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
