package dev.andromeda.testbed.hw;

import java.util.List;

/**
 * Makes {@link HardwareModel}s of the testbed's blocks. Found with
 * {@link java.util.ServiceLoader}: {@code emu} here, {@code rtl-jni} and
 * {@code rtl-ffm} in jni-bridge. Availability is probed, never assumed.
 */
public interface HardwareBackend {

    String name();

    /** The blocks this backend can open. */
    List<String> blocks();

    boolean isAvailable();

    /** Why the backend cannot run here, or null when it can. */
    String unavailabilityCause();

    /**
     * A new model of the block, after reset.
     *
     * @throws IllegalArgumentException for an unknown block
     * @throws IllegalStateException    when the backend is unavailable, with the cause
     */
    HardwareModel open(String block);
}
