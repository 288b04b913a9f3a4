package dev.andromeda.testbed.tb.pcap;

import dev.andromeda.testbed.fastpath.dataplane.FrameTap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A {@link FrameTap} that writes what it sees to a pcap file. Timestamps are
 * wall-clock microseconds, kept strictly increasing so tools show the frames
 * in the order the links carried them. Synchronised: hosts on several threads
 * may send at once.
 */
public final class PcapTap implements FrameTap, AutoCloseable {
    private final PcapWriter writer;
    private final byte[] scratch = new byte[65_535];
    private long lastMicros;

    public PcapTap(Path file) throws IOException {
        this.writer = new PcapWriter(file);
    }

    @Override
    public synchronized void frame(MemorySegment memory, long offset, int length) {
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset, scratch, 0, length);
        long now = System.currentTimeMillis() * 1000;
        lastMicros = Math.max(now, lastMicros + 1);
        try {
            writer.write(lastMicros, scratch, length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the capture", e);
        }
    }

    public long frames() {
        return writer.frames();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
