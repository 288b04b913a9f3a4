package dev.andromeda.testbed.fastpath.offload;

import java.nio.file.Path;

/**
 * How to open an offload implementation. Software implementations ignore what
 * concerns hardware.
 *
 * @param seed                    seed of the bus drivers' random back-pressure and idle cycles
 * @param idleProbability         chance a source leaves a cycle idle between beats, [0, 1)
 * @param backpressureProbability chance a sink holds ready low in a cycle, [0, 1)
 * @param waveform                VCD file to write for the whole run, or null
 * @param clockMHz                clock at which hardware cycles become modelled time
 * @param memoryLatency           cycles from a memory read request to its first data beat (copy stage)
 * @param maxReadsInFlight        read bursts the memory accepts before it stops taking requests (copy stage)
 */
public record OffloadOptions(long seed, double idleProbability, double backpressureProbability,
                             Path waveform, double clockMHz, int memoryLatency, int maxReadsInFlight) {

    public static final double DEFAULT_CLOCK_MHZ = 250.0;
    /** A host's DRAM seen from a PCIe device: some 400 ns, 100 cycles at 250 MHz. */
    public static final int DEFAULT_MEMORY_LATENCY = 100;
    public static final int DEFAULT_READS_IN_FLIGHT = 16;

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
        if (memoryLatency < 0 || memoryLatency > 100_000) {
            throw new IllegalArgumentException("memoryLatency must be 0..100000 cycles: " + memoryLatency);
        }
        if (maxReadsInFlight < 1 || maxReadsInFlight > 1024) {
            throw new IllegalArgumentException("maxReadsInFlight must be 1..1024: " + maxReadsInFlight);
        }
    }

    /** With the default memory model. */
    public OffloadOptions(long seed, double idleProbability, double backpressureProbability, Path waveform,
                          double clockMHz) {
        this(seed, idleProbability, backpressureProbability, waveform, clockMHz, DEFAULT_MEMORY_LATENCY,
                DEFAULT_READS_IN_FLIGHT);
    }

    /** Full-speed buses, no waveform, 250 MHz, 100-cycle memory. */
    public static OffloadOptions defaults() {
        return new OffloadOptions(1, 0, 0, null, DEFAULT_CLOCK_MHZ);
    }

    public OffloadOptions withWaveform(Path file) {
        return new OffloadOptions(seed, idleProbability, backpressureProbability, file, clockMHz, memoryLatency,
                maxReadsInFlight);
    }

    public OffloadOptions withTraffic(long seed, double idle, double backpressure) {
        return new OffloadOptions(seed, idle, backpressure, waveform, clockMHz, memoryLatency, maxReadsInFlight);
    }

    public OffloadOptions withMemory(int latency, int readsInFlight) {
        return new OffloadOptions(seed, idleProbability, backpressureProbability, waveform, clockMHz, latency,
                readsInFlight);
    }
}
