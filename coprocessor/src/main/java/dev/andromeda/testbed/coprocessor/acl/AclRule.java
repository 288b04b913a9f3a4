package dev.andromeda.testbed.coprocessor.acl;

import java.util.Locale;

/**
 * One Internet ACL rule: traffic between the VM and a remote address in {@code network/prefixLength},
 * to a destination port in {@code portLow..portHigh}, of {@code protocol} (0 any, 6 TCP, 17 UDP),
 * in the directions it names, is allowed or denied. The remote address is the source on ingress
 * and the destination on egress; the port is always the destination port (the VM's service on
 * ingress, the remote service on egress).
 *
 * <p>Text form, as {@link #parse} reads it: {@code allow|deny in|out|any tcp|udp|any|N CIDR any|P|P-Q},
 * e.g. {@code "deny out tcp 0.0.0.0/0 25"}.
 */
public record AclRule(boolean allow, boolean ingress, boolean egress, int network, int prefixLength,
                      int portLow, int portHigh, int protocol) {

    public static final int ANY_PROTOCOL = 0;

    public AclRule {
        Ipv4.mask(prefixLength);
        if (portLow < 0 || portHigh > 65535 || portLow > portHigh) {
            throw new IllegalArgumentException("port range must be within 0..65535, low <= high: " + portLow + "-"
                    + portHigh);
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 0..255: " + protocol);
        }
        if (!ingress && !egress) {
            throw new IllegalArgumentException("a rule must apply to ingress, egress or both");
        }
        network &= Ipv4.mask(prefixLength);
    }

    public static AclRule parse(String text) {
        String[] f = text.trim().toLowerCase(Locale.ROOT).split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("want 'allow|deny in|out|any PROTO CIDR PORTS': " + text);
        }
        boolean allow = switch (f[0]) {
            case "allow" -> true;
            case "deny" -> false;
            default -> throw new IllegalArgumentException("action must be allow or deny: " + text);
        };
        boolean in = f[1].equals("in") || f[1].equals("any");
        boolean out = f[1].equals("out") || f[1].equals("any");
        if (!in && !out) {
            throw new IllegalArgumentException("direction must be in, out or any: " + text);
        }
        int protocol = switch (f[2]) {
            case "any" -> ANY_PROTOCOL;
            case "tcp" -> 6;
            case "udp" -> 17;
            default -> Integer.parseInt(f[2]);
        };
        int slash = f[3].indexOf('/');
        int network = Ipv4.parse(slash < 0 ? f[3] : f[3].substring(0, slash));
        int prefix = slash < 0 ? 32 : Integer.parseInt(f[3].substring(slash + 1));
        int low = 0;
        int high = 65535;
        if (!f[4].equals("any")) {
            int dash = f[4].indexOf('-');
            low = Integer.parseInt(dash < 0 ? f[4] : f[4].substring(0, dash));
            high = dash < 0 ? low : Integer.parseInt(f[4].substring(dash + 1));
        }
        return new AclRule(allow, in, out, network, prefix, low, high, protocol);
    }

    @Override
    public String toString() {
        return (allow ? "allow " : "deny ") + (ingress && egress ? "any " : ingress ? "in " : "out ")
                + (protocol == 0 ? "any " : protocol + " ") + Ipv4.format(network) + "/" + prefixLength + " "
                + (portLow == 0 && portHigh == 65535 ? "any" : portLow + "-" + portHigh);
    }
}
