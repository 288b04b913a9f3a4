package dev.andromeda.testbed.control.model;

/** A host serving as a hoverboard: the default route of every host, holding every route. */
public record Hoverboard(int hostId) {
}
