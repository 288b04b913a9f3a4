package dev.andromeda.testbed.control.model;

/** A VM: its id, the network (VNI) it belongs to, its address and MAC, and the host it runs on. */
public record Vm(int id, int vni, int ipv4, long mac, int hostId) {
    public Vm {
        if (vni < 0 || vni > 0xFFFFFF) {
            throw new IllegalArgumentException("VNI is 24 bits: " + vni);
        }
    }

    public Vm onHost(int newHostId) {
        return new Vm(id, vni, ipv4, mac, newHostId);
    }
}
