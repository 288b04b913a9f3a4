package dev.andromeda.testbed.hw;

import java.nio.file.Path;
import java.util.List;

/**
 * The one port-level interface of every hardware backend: the Java cycle model
 * ({@code emu}) and the Verilated RTL through JNI ({@code rtl-jni}) or Panama
 * FFM ({@code rtl-ffm}).
 *
 * <p>Look a port up once by name, then set and get it by handle. Inputs set
 * before {@link #step} are sampled at the rising edge; outputs read after it
 * show the new state. The blocks of this testbed register their outputs (no
 * combinational path from an input to an output), so a driver may read
 * ready/valid, set its inputs, and step, with no settle in between.
 *
 * <p>The clock ({@code clk}) is driven by {@link #step}; the reset
 * ({@code rst}, active high) by {@link #reset}. A model is confined to the
 * thread that created it (Verilator builds and evaluates a model on one thread).
 */
public interface HardwareModel extends AutoCloseable {

    /** The RTL module, e.g. {@code csum_offload}. */
    String block();

    /** {@code emu}, {@code rtl-jni} or {@code rtl-ffm}. */
    String backend();

    /** Every port, clock and reset included, indexed by handle. */
    List<PortInfo> ports();

    /**
     * The handle of the named port.
     *
     * @throws IllegalArgumentException naming the ports there are
     */
    default int port(String name) {
        for (PortInfo p : ports()) {
            if (p.name().equals(name)) {
                return p.handle();
            }
        }
        throw new IllegalArgumentException(block() + " has no port '" + name + "'; it has "
                + ports().stream().map(PortInfo::name).toList());
    }

    /** Drives an input of up to 64 bits; bits above the port's width are dropped. */
    void set(int port, long value);

    /** Reads a port of up to 64 bits (inputs read back what was set). */
    long get(int port);

    /** Drives a wide input from 64-bit words, least significant first. */
    void setWide(int port, long[] words);

    /** Reads a wide port into 64-bit words, least significant first. */
    void getWide(int port, long[] words);

    /**
     * Lets combinational logic settle after inputs changed, the clock unchanged, so outputs
     * that depend on inputs directly show the inputs just set. The testbed's blocks register
     * their outputs and need no settle (the default does nothing); a user's design may not.
     */
    default void settle() {
    }

    /** Advances the given number of rising clock edges. */
    void step(long cycles);

    default void step() {
        step(1);
    }

    /** Holds {@code rst} high for the given cycles, then releases it. */
    void reset(int cycles);

    /**
     * The input {@link #reset} drives: {@code rst} for the testbed's blocks, a user's model says
     * its own (its manifest's {@code reset}), or {@code null} for a design without a reset.
     * What replays a reset through {@link #set} (a lockstep pair) needs it.
     */
    default String resetPort() {
        return "rst";
    }

    /** Whether {@link #resetPort} asserts at 0 (an {@code aresetn}). */
    default boolean resetActiveLow() {
        return false;
    }

    /** Rising edges since the model was created. */
    long cycle();

    /** Starts writing a VCD waveform (replacing any open one). */
    void traceOn(Path vcd);

    /** Closes the waveform, if one is open. */
    void traceOff();

    @Override
    void close();
}
