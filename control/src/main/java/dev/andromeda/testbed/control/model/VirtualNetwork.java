package dev.andromeda.testbed.control.model;

import java.util.List;

/**
 * A tenant's virtual network: its VNI (24 bits) and the IPv4 prefixes its VMs
 * take addresses from. Address spaces of different networks may overlap; the
 * VNI keeps them apart.
 */
public record VirtualNetwork(int vni, List<Prefix> prefixes) {
    /** An IPv4 prefix, address as an int. */
    public record Prefix(int address, int length) {
        public Prefix {
            if (length < 0 || length > 32) {
                throw new IllegalArgumentException("prefix length 0..32: " + length);
            }
        }

        public boolean contains(int ip) {
            if (length == 0) {
                return true;
            }
            int mask = -1 << (32 - length);
            return (ip & mask) == (address & mask);
        }
    }

    public VirtualNetwork {
        if (vni < 0 || vni > 0xFFFFFF) {
            throw new IllegalArgumentException("VNI is 24 bits: " + vni);
        }
        prefixes = List.copyOf(prefixes);
        // A network's own prefixes must not overlap: an address would belong to two of them.
        for (int i = 0; i < prefixes.size(); i++) {
            for (int j = i + 1; j < prefixes.size(); j++) {
                Prefix a = prefixes.get(i);
                Prefix b = prefixes.get(j);
                if (a.contains(b.address()) || b.contains(a.address())) {
                    throw new IllegalArgumentException("VNI " + vni + ": prefixes " + a + " and " + b + " overlap");
                }
            }
        }
    }

    public VirtualNetwork(int vni, Prefix... prefixes) {
        this(vni, List.of(prefixes));
    }

    /** Whether an address belongs to the network (any address when it declares no prefix). */
    public boolean contains(int ip) {
        if (prefixes.isEmpty()) {
            return true;
        }
        for (Prefix p : prefixes) {
            if (p.contains(ip)) {
                return true;
            }
        }
        return false;
    }
}
