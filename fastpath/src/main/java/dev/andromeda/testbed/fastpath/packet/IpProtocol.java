package dev.andromeda.testbed.fastpath.packet;

/**
 * IANA "Assigned Internet Protocol Numbers" this package knows: the IPv4
 * protocol field and the IPv6 next-header field share one number space,
 * which is why the IPv6 extension headers are here too.
 */
public final class IpProtocol {
    /** IPv6 hop-by-hop options (RFC 8200 §4.3); must directly follow the fixed header. */
    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 routing header (RFC 8200 §4.4). */
    public static final int ROUTING = 43;
    /** IPv6 fragment header (RFC 8200 §4.5). */
    public static final int FRAGMENT = 44;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    /** IPv6 "no next header": nothing follows. */
    public static final int NO_NEXT_HEADER = 59;
    /** IPv6 destination options (RFC 8200 §4.6). */
    public static final int DESTINATION_OPTIONS = 60;

    private IpProtocol() {
    }

    /**
     * Whether the parser walks past this IPv6 next header to find the upper
     * layer. AH and ESP are not walked: ESP hides what follows, and AH is
     * left to the IPsec stage; both end the chain as the packet's protocol.
     */
    public static boolean isIpv6ExtensionHeader(int nextHeader) {
        return nextHeader == HOP_BY_HOP || nextHeader == ROUTING
                || nextHeader == FRAGMENT || nextHeader == DESTINATION_OPTIONS;
    }
}
