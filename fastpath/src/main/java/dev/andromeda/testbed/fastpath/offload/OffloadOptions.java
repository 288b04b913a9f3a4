package dev.andromeda.testbed.fastpath.offload;

import java.nio.file.Path;

/**
 * How to open an offload implementation. Software implementations ignore what
 * concerns hardware.
 *
 * @param seed                  seed of the bus drivers' random back-pressure and idle cycles
 * @param idleProbability       chance a source leaves a cycle idle between beats (0..1)
 * @param backpressureProbability chance a sink holds ready low in a cycle (0..1)
 * @param waveform              VCD file to write for the whole run, or null
 * @param clockMHz              clock at which hardware cycles become modelled time
 */
public record OffloadOptions(long seed, double idleProbability, double backpressureProbability,
                             Path waveform, double clockMHz) {

    public static final double DEFAULT_CLOCK_MHZ = 250.0;

    public OffloadOptions {
        if (idleProbability < 0 || idleProbability >= 1) {
            throw new IllegalArgumentException("idleProbability must be in [0, 1): " + idleProbability);
        }
        if (backpressureProbability < 0 || backpressureProbability >= 1) {
            throw new IllegalArgumentException(
                    "backpressureProbability must be in [0, 1): " + backpressureProbability);
        }
        if (!(clockMHz > 0)) {
            throw new IllegalArgumentException("clockMHz must be positive: " + clockMHz);
        }
    }

    /** Full-speed buses, no waveform, 250 MHz. */
    public static OffloadOptions defaults() {
        return new OffloadOptions(1, 0, 0, null, DEFAULT_CLOCK_MHZ);
    }

    public OffloadOptions withWaveform(Path file) {
        return new OffloadOptions(seed, idleProbability, backpressureProbability, file, clockMHz);
    }

    public OffloadOptions withTraffic(long seed, double idle, double backpressure) {
        return new OffloadOptions(seed, idle, backpressure, waveform, clockMHz);
    }
}
