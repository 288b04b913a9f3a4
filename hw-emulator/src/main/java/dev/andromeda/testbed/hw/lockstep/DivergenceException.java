package dev.andromeda.testbed.hw.lockstep;

import java.nio.file.Path;
import java.util.List;

/** Two models that should agree gave different outputs; says where and when, and where the waveforms are. */
public final class DivergenceException extends RuntimeException {
    private final long cycle;
    private final String port;
    private final List<Path> waveforms;

    DivergenceException(String message, long cycle, String port, List<Path> waveforms) {
        super(message);
        this.cycle = cycle;
        this.port = port;
        this.waveforms = List.copyOf(waveforms);
    }

    /** Lockstep cycle (counted from the start of the lockstep) of the first difference. */
    public long cycle() {
        return cycle;
    }

    public String port() {
        return port;
    }

    /** Reference and device waveforms around the divergence (empty if none were asked for). */
    public List<Path> waveforms() {
        return waveforms;
    }
}
