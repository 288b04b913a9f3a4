package dev.andromeda.testbed.hw;

/**
 * A port of a hardware model.
 *
 * @param handle    what {@link HardwareModel#set}/{@link HardwareModel#get} take
 * @param name      the RTL port name
 * @param width     bits
 * @param direction seen from the model
 */
public record PortInfo(int handle, String name, int width, PortDirection direction) {
    /** Ports wider than 64 bits go through {@link HardwareModel#setWide}/{@link HardwareModel#getWide}. */
    public boolean isWide() {
        return width > 64;
    }
}
