package dev.andromeda.testbed.control.model;

/** A physical host: its id and its underlay address and MAC (where GENEVE packets to it go). */
public record Host(int id, int ipv4, long mac) {
}
