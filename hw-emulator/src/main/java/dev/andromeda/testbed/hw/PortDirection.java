package dev.andromeda.testbed.hw;

/** Direction of a model port, seen from the model. */
public enum PortDirection {
    IN, OUT
}
