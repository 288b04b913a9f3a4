package dev.andromeda.testbed.fastpath.flow;

/**
 * An ingress allow rule of a VM's firewall, as a tenant writes it: traffic
 * from a source prefix, of a protocol, to a range of destination ports, is
 * allowed. Whatever no rule allows is denied.
 *
 * @param protocol IP protocol number, or {@link #ANY}
 * @param prefix   source prefix (IPv4, as an int)
 * @param length   prefix length, 0..32
 * @param portLo   first destination port allowed (ignored for protocols without ports)
 * @param portHi   last destination port allowed
 * @param stateful whether replies to connections the VM opens are tracked rather than allowed by port
 */
public record FirewallRule(int protocol, int prefix, int length, int portLo, int portHi, boolean stateful) {
    public static final int ANY = -1;

    public FirewallRule {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length 0..32: " + length);
        }
        if (portLo < 0 || portHi > 0xFFFF || portLo > portHi) {
            throw new IllegalArgumentException("port range 0 <= lo <= hi <= 65535: " + portLo + ".." + portHi);
        }
    }

    /** Whether a source address falls in the rule's prefix. */
    public boolean matchesSource(int address) {
        if (length == 0) {
            return true;
        }
        int mask = -1 << (32 - length);
        return (address & mask) == (prefix & mask);
    }

    public boolean matchesProtocol(int proto) {
        return protocol == ANY || protocol == proto;
    }

    /**
     * The verdict of this rule alone for one packet ({@code FirewallCompilerTest} checks the
     * compiled policy against an evaluator written apart, not against this).
     */
    public boolean allows(int srcAddress, int proto, int dstPort) {
        return matchesProtocol(proto) && matchesSource(srcAddress)
                && (!FirewallCompiler.hasPorts(proto) || (dstPort >= portLo && dstPort <= portHi));
    }
}
