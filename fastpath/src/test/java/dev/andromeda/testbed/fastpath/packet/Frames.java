package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds test frames byte by byte with a {@link ByteBuffer}, inside out
 * ({@code ethernet(TYPE_IPV4, ipv4().build(udp(1, 2, payload)))}), without the
 * accessors under test, so a parser bug and a builder bug cannot cancel out.
 * Every builder has overrides for writing lies into a header.
 */
final class Frames {
    static final long DST_MAC = 0x02_00_00_00_00_02L;
    static final long SRC_MAC = 0x02_00_00_00_00_01L;

    private Frames() {
    }

    static byte[] ethernet(int etherType, byte[] payload) {
        return ethernet(DST_MAC, SRC_MAC, etherType, payload);
    }

    static byte[] ethernet(long dstMac, long srcMac, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        putMac(b, dstMac);
        putMac(b, srcMac);
        b.putShort((short) etherType);
        b.put(payload);
        return b.array();
    }

    /** The 4 bytes after a TPID: TCI (here just the VID) and the inner ethertype, then the payload. */
    static byte[] vlanTag(int vlanId, int innerEtherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.putShort((short) vlanId);
        b.putShort((short) innerEtherType);
        b.put(payload);
        return b.array();
    }

    static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        return udpWithLength(srcPort, dstPort, 8 + payload.length, payload);
    }

    static byte[] udpWithLength(int srcPort, int dstPort, int udpLength, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) udpLength).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    static byte[] icmp(int type, int code, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) type).put((byte) code).putShort((short) 0).putShort((short) 0x4242).putShort((short) 1);
        b.put(payload);
        return b.array();
    }

    /** A hop-by-hop, routing or destination options header of {@code lengthBytes} (a multiple of 8), then payload. */
    static byte[] ipv6Extension(int nextHeader, int lengthBytes, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(lengthBytes + payload.length);
        b.put((byte) nextHeader).put((byte) (lengthBytes / 8 - 1));
        // The rest stays zero: Pad1 options, valid in hop-by-hop and destination options.
        b.position(lengthBytes);
        b.put(payload);
        return b.array();
    }

    static byte[] ipv6Fragment(int nextHeader, int offsetBytes, boolean more, int identification, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) nextHeader).put((byte) 0);
        b.putShort((short) ((offsetBytes & 0xFFF8) | (more ? 1 : 0)));
        b.putInt(identification);
        b.put(payload);
        return b.array();
    }

    static Ipv4Builder ipv4() {
        return new Ipv4Builder();
    }

    static Ipv6Builder ipv6() {
        return new Ipv6Builder();
    }

    static TcpBuilder tcp() {
        return new TcpBuilder();
    }

    static GeneveBuilder geneve() {
        return new GeneveBuilder();
    }

    static byte[] bytes(int length, int fill) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** A heap segment exactly the frame's size: any read past its end throws. */
    static MemorySegment exactly(byte[] frame) {
        return MemorySegment.ofArray(frame.clone());
    }

    /**
     * RFC 1071 the slow, obvious way, independent of the production code:
     * 16-bit big-endian words, an odd byte padded, end-around carry after every
     * add, the complement at the end.
     */
    static int rfc1071(byte[] b, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = b[offset + i] & 0xFF;
            int lo = i + 1 < length ? b[offset + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32));
        b.putInt((int) mac);
    }

    static final class Ipv4Builder {
        int src = 0x0A00_0001;
        int dst = 0x0A00_0002;
        int protocol = IpProtocol.UDP;
        int ttl = 64;
        int tos;
        int identification = 0x1234;
        int optionWords;
        boolean dontFragment;
        boolean moreFragments;
        int fragmentOffsetUnits;
        Integer versionOverride;
        Integer ihlOverride;
        Integer totalLengthOverride;
        boolean corruptChecksum;

        Ipv4Builder src(int v) { src = v; return this; }
        Ipv4Builder dst(int v) { dst = v; return this; }
        Ipv4Builder protocol(int v) { protocol = v; return this; }
        Ipv4Builder ttl(int v) { ttl = v; return this; }
        Ipv4Builder tos(int v) { tos = v; return this; }
        Ipv4Builder identification(int v) { identification = v; return this; }
        Ipv4Builder optionWords(int v) { optionWords = v; return this; }
        Ipv4Builder dontFragment() { dontFragment = true; return this; }
        Ipv4Builder fragment(int offsetUnits, boolean more) { fragmentOffsetUnits = offsetUnits; moreFragments = more; return this; }
        Ipv4Builder version(int v) { versionOverride = v; return this; }
        Ipv4Builder ihl(int v) { ihlOverride = v; return this; }
        Ipv4Builder totalLength(int v) { totalLengthOverride = v; return this; }
        Ipv4Builder corruptChecksum() { corruptChecksum = true; return this; }

        int headerBytes() {
            return 20 + 4 * optionWords;
        }

        byte[] build(byte[] payload) {
            int headerBytes = headerBytes();
            ByteBuffer b = ByteBuffer.allocate(headerBytes + payload.length);
            int version = versionOverride != null ? versionOverride : 4;
            int ihl = ihlOverride != null ? ihlOverride : headerBytes / 4;
            b.put((byte) ((version << 4) | (ihl & 0x0F)));
            b.put((byte) tos);
            b.putShort((short) (totalLengthOverride != null ? totalLengthOverride : headerBytes + payload.length));
            b.putShort((short) identification);
            b.putShort((short) ((dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffsetUnits));
            b.put((byte) ttl).put((byte) protocol).putShort((short) 0);
            b.putInt(src).putInt(dst);
            for (int i = 0; i < optionWords * 4; i++) {
                b.put((byte) (i == optionWords * 4 - 1 ? 0 : 1)); // NOPs, then End of Option List
            }
            b.put(payload);
            byte[] packet = b.array();
            int checksum = rfc1071(packet, 0, headerBytes);
            if (corruptChecksum) {
                checksum ^= 1;
            }
            packet[10] = (byte) (checksum >>> 8);
            packet[11] = (byte) checksum;
            return packet;
        }
    }

    static final class Ipv6Builder {
        long srcHi = 0x2001_0DB8_0000_0000L;
        long srcLo = 1;
        long dstHi = 0x2001_0DB8_0000_0000L;
        long dstLo = 2;
        int nextHeader = IpProtocol.UDP;
        int hopLimit = 64;
        int trafficClass;
        int flowLabel;
        Integer versionOverride;
        Integer payloadLengthOverride;

        Ipv6Builder src(long hi, long lo) { srcHi = hi; srcLo = lo; return this; }
        Ipv6Builder dst(long hi, long lo) { dstHi = hi; dstLo = lo; return this; }
        Ipv6Builder nextHeader(int v) { nextHeader = v; return this; }
        Ipv6Builder hopLimit(int v) { hopLimit = v; return this; }
        Ipv6Builder trafficClass(int v) { trafficClass = v; return this; }
        Ipv6Builder flowLabel(int v) { flowLabel = v; return this; }
        Ipv6Builder version(int v) { versionOverride = v; return this; }
        Ipv6Builder payloadLength(int v) { payloadLengthOverride = v; return this; }

        byte[] build(byte[] payload) {
            ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
            int version = versionOverride != null ? versionOverride : 6;
            b.putInt((version << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF));
            b.putShort((short) (payloadLengthOverride != null ? payloadLengthOverride : payload.length));
            b.put((byte) nextHeader).put((byte) hopLimit);
            b.putLong(srcHi).putLong(srcLo).putLong(dstHi).putLong(dstLo);
            b.put(payload);
            return b.array();
        }
    }

    static final class TcpBuilder {
        int srcPort = 40000;
        int dstPort = 443;
        int flags = Tcp.ACK;
        int optionWords;
        int sequence = 1000;
        int acknowledgment = 2000;
        Integer dataOffsetOverride;

        TcpBuilder ports(int src, int dst) { srcPort = src; dstPort = dst; return this; }
        TcpBuilder flags(int v) { flags = v; return this; }
        TcpBuilder optionWords(int v) { optionWords = v; return this; }
        TcpBuilder dataOffset(int v) { dataOffsetOverride = v; return this; }

        int headerBytes() {
            return 20 + 4 * optionWords;
        }

        byte[] build(byte[] payload) {
            int headerBytes = headerBytes();
            ByteBuffer b = ByteBuffer.allocate(headerBytes + payload.length);
            b.putShort((short) srcPort).putShort((short) dstPort).putInt(sequence).putInt(acknowledgment);
            int dataOffset = dataOffsetOverride != null ? dataOffsetOverride : headerBytes / 4;
            b.put((byte) (dataOffset << 4)).put((byte) flags).putShort((short) 65535);
            b.putShort((short) 0).putShort((short) 0);
            for (int i = 0; i < optionWords * 4; i++) {
                b.put((byte) 1); // NOP
            }
            b.put(payload);
            return b.array();
        }
    }

    static final class GeneveBuilder {
        int version;
        int optionWords;
        boolean oam;
        boolean critical;
        int protocolType = 0x6558;
        int vni = 0x123456;

        GeneveBuilder version(int v) { version = v; return this; }
        GeneveBuilder optionWords(int v) { optionWords = v; return this; }
        GeneveBuilder oam(boolean v) { oam = v; return this; }
        GeneveBuilder critical(boolean v) { critical = v; return this; }
        GeneveBuilder protocolType(int v) { protocolType = v; return this; }
        GeneveBuilder vni(int v) { vni = v; return this; }

        byte[] build(byte[] inner) {
            ByteBuffer b = ByteBuffer.allocate(8 + optionWords * 4 + inner.length);
            b.put((byte) ((version << 6) | optionWords));
            b.put((byte) ((oam ? 0x80 : 0) | (critical ? 0x40 : 0)));
            b.putShort((short) protocolType);
            b.putInt(vni << 8);
            for (int i = 0; i < optionWords * 4; i++) {
                b.put((byte) 0xEE);
            }
            b.put(inner);
            return b.array();
        }
    }
}
