package dev.andromeda.testbed.tb.pcap;

import dev.andromeda.testbed.fastpath.dataplane.FrameTap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * A {@link FrameTap} that writes what it sees to a pcap file. Timestamps are the
 * network's simulated time once a {@link #clock} is given (the date the capture
 * was opened plus the simulated nanoseconds; wall-clock time until then), kept
 * strictly increasing so tools show the frames in the order the links carried
 * them. Synchronised: hosts on several threads may send at once.
 */
public final class PcapTap implements FrameTap, AutoCloseable {
    private final PcapWriter writer;
    private final byte[] scratch = new byte[65_535];
    private final long openedMicros = System.currentTimeMillis() * 1000;
    private volatile LongSupplier simulatedNanos;
    private long lastMicros;

    public PcapTap(Path file) throws IOException {
        this.writer = new PcapWriter(file);
    }

    @Override
    public synchronized void frame(MemorySegment memory, long offset, int length) {
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset, scratch, 0, length);
        LongSupplier sim = simulatedNanos;
        long now = sim == null ? System.currentTimeMillis() * 1000 : openedMicros + sim.getAsLong() / 1000;
        lastMicros = Math.max(now, lastMicros + 1);
        try {
            writer.write(lastMicros, scratch, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the capture", e);
        }
    }

    /** Stamps the frames from now on with {@code nanos} (the network's simulated time) after the opening date. */
    public void clock(LongSupplier nanos) {
        this.simulatedNanos = nanos;
    }

    public long frames() {
        return writer.frames();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
