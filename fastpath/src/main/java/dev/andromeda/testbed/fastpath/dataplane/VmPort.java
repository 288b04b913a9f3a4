package dev.andromeda.testbed.fastpath.dataplane;

/**
 * A VM's virtual NIC as the host's fast path sees it: the port number local
 * deliveries name, the virtual network it is on, and its address. Packets a
 * VM sends from any other source address are spoofed and dropped.
 *
 * @param port local port number, the argument of {@code FlowAction.deliver}
 * @param vni  virtual network (24-bit GENEVE VNI)
 * @param ip   the VM's IPv4 address in its network
 * @param mac  the VM's MAC address
 */
public record VmPort(int port, int vni, int ip, long mac) {
    public VmPort {
        if (port < 0 || port > 0xFFFFFF) {
            throw new IllegalArgumentException("port must fit in 24 bits: " + port);
        }
        if (vni < 0 || vni > 0xFFFFFF) {
            throw new IllegalArgumentException("VNI is 24 bits: " + vni);
        }
    }
}
