package dev.andromeda.testbed.coprocessor.ring;

/** The direction of a VM's traffic, seen from the VM. */
public enum Direction {
    EGRESS,
    INGRESS
}
