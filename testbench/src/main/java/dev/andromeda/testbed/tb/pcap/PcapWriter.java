package dev.andromeda.testbed.tb.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes Ethernet frames to a classic pcap file (the format Wireshark and
 * tshark read everywhere: magic 0xa1b2c3d4, version 2.4, link type 1 =
 * Ethernet, microsecond timestamps). Frames are written whole (snap length
 * 65,535, above the largest jumbo frame here). Not thread-safe: one writer.
 */
public final class PcapWriter implements AutoCloseable {
    private static final int MAGIC = 0xA1B2C3D4;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int SNAPLEN = 65_535;

    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;

    public PcapWriter(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        ByteBuffer g = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        g.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
                .putInt(LINKTYPE_ETHERNET);
        out.write(g.array());
    }

    /** One frame seen at {@code epochMicros}. */
    public void write(long epochMicros, byte[] frame, int length) throws IOException {
        if (length > SNAPLEN) {
            throw new IllegalArgumentException("frame of " + length + " bytes is over the snap length " + SNAPLEN);
        }
        header.clear();
        header.putInt((int) (epochMicros / 1_000_000)).putInt((int) (epochMicros % 1_000_000)).putInt(length)
                .putInt(length);
        out.write(header.array());
        out.write(frame, 0, length);
        frames++;
    }

    public long frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
