package dev.andromeda.testbed.fastpath.psp;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * PSP transport mode on IPv4 frames in off-heap memory, in place, with the
 * cryptography run by any crypto stage ({@code sw}, {@code emu},
 * {@code rtl-jni}, {@code rtl-ffm}) through a {@link CryptoBatch}.
 *
 * <p>In Andromeda the frame is GENEVE-encapsulated; PSP goes between the outer
 * IPv4 header and the outer UDP header it protects:
 *
 * <pre>
 *  before   | Eth | IPv4 p=17 | UDP 6081 | GENEVE | inner frame ...........|
 *                             |&lt;------------- payload P ----------------&gt;|
 *
 *  after    | Eth | IPv4 p=17 | UDP 1000 | PSP hdr (16) [VC 8] | payload P | ICV (16) |
 *                             |          |&lt;-- AAD: header + cryptOffset*4 clear bytes --&gt;|&lt;- text -&gt;|
 *                             |          next header = 17, the protocol it replaced
 * </pre>
 *
 * The frame grows by {@link #OVERHEAD} bytes ({@link #overhead(PspSa)} with the
 * cookie): Ethernet and IPv4 headers move back into the headroom, the payload
 * stays where it is, and the ICV goes after it, so the buffer needs
 * {@code 24 (+8)} bytes free before the frame and 16 after it.
 *
 * <p>With AES-GCM (versions 0, 1) the AAD is the PSP header and the
 * {@code cryptOffset * 4} bytes after it (counted from the end of the 16-byte
 * base header, so a cookie is inside that count), and the rest up to the ICV is
 * encrypted in place. With AES-GMAC (versions 2, 3) everything from the PSP
 * header to the ICV is AAD and the text is empty. The nonce is SPI then IV, as
 * in the header. As in google/psp, the crypt offset counts from the end of the
 * IV, so the virtualization cookie is itself encrypted unless the crypt offset
 * is at least 2 (8 bytes).
 *
 * <p>Egress: {@link #encapsulate} → {@link #addSeal} for each packet of the
 * batch → {@code stage.process(batch)} → {@link #completeSeal}. Ingress:
 * {@link #addOpen} → {@code stage.process(batch)} → {@link #decapsulate}. Every
 * per-packet call returns a {@link PspStatus} (or a descriptor index) and never
 * throws on packet contents; drops are counted in {@link #counters()}. After a
 * successful {@code encapsulate} or {@code decapsulate} the frame's new place is
 * {@link #frameOffset()}/{@link #frameLength()}.
 *
 * <p>Allocation: none per packet. The 12-byte nonce is assembled in a scratch
 * array and {@link CryptoBatch#add} copies it, and the SA's own key array, into
 * the descriptor. One instance per thread (not thread-safe; no locks).
 *
 * <p>Supported: Ethernet II, optionally one 802.1Q tag; IPv4 with options; no
 * IPv6, no tunnel mode, no PSP header extensions beyond the cookie.
 */
public final class PspTransport {
    /** UDP header + PSP header + ICV, without the virtualization cookie. */
    public static final int OVERHEAD = PspTransport.UDP_BYTES + PspHeader.HEADER_BYTES + PspHeader.ICV_BYTES;

    static final int UDP_BYTES = 8;

    static final int ETH_BYTES = 14;
    static final int VLAN_BYTES = 4;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int IP_PROTO_TCP = 6;
    static final int IP_PROTO_UDP = 17;
    static final int IPV4_MIN_HEADER = 20;
    private static final int MAX_IPV4_TOTAL = 0xFFFF;

    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final PspCounters counters = new PspCounters();
    private final byte[] nonce = new byte[PspHeader.NONCE_BYTES];

    private long resultOffset;
    private int resultLength;
    private int pspHeaderOffset;

    // What parse() found in the last PSP frame it accepted.
    private int parsedL2;
    private int parsedIhl;
    private int parsedIpTotal;
    private long parsedPsp;
    private int parsedHeaderLength;
    private long parsedAadOffset;
    private int parsedAadLength;
    private long parsedTextOffset;
    private int parsedTextLength;
    private long parsedIcv;
    private byte[] parsedKey;

    /** Bytes a frame grows by under this SA: 40, or 48 with the virtualization cookie. */
    public static int overhead(PspSa sa) {
        return OVERHEAD + (sa.virtualizationCookie() ? PspHeader.VC_BYTES : 0);
    }

    /** Headroom {@link #encapsulate} needs before the frame: 24, or 32 with the cookie. */
    public static int headroom(PspSa sa) {
        return UDP_BYTES + sa.headerBytes();
    }

    public PspCounters counters() {
        return counters;
    }

    /** Offset of the frame after the last successful {@link #encapsulate} or {@link #decapsulate}. */
    public long frameOffset() {
        return resultOffset;
    }

    /** Length of the frame after the last successful {@link #encapsulate} or {@link #decapsulate}. */
    public int frameLength() {
        return resultLength;
    }

    /** {@link #encapsulate(MemorySegment, long, int, PspSa, long)} with a zero cookie. */
    public int encapsulate(MemorySegment mem, long frameOffset, int frameLength, PspSa sa) {
        return encapsulate(mem, frameOffset, frameLength, sa, 0L);
    }

    /**
     * Inserts UDP (destination port 1000, source port the original L4 source
     * port for UDP and TCP, else 1000) and the PSP header after the IPv4 header,
     * in place, and leaves room for the ICV. The IV field is left zero: the IV
     * is chosen when the packet is sealed ({@link #addSeal}). The outer IPv4
     * header gets protocol 17, its new total length and checksum. Bytes after
     * the IPv4 datagram (Ethernet padding) are dropped.
     *
     * @param virtualizationCookie written after the base header when the SA carries a cookie
     * @return {@link PspStatus#OK}, the new frame at {@link #frameOffset()}/{@link #frameLength()}; or a drop reason
     */
    public int encapsulate(MemorySegment mem, long frameOffset, int frameLength, PspSa sa,
                           long virtualizationCookie) {
        if (frameOffset < 0 || frameLength < 0 || frameOffset + frameLength > mem.byteSize()) {
            return counters.drop(PspStatus.MALFORMED);
        }
        int l2 = l2Length(mem, frameOffset, frameLength);
        if (l2 < 0) {
            return counters.drop(PspStatus.MALFORMED);
        }
        long ip = frameOffset + l2;
        int ihl = ipv4HeaderLength(mem, ip, frameLength - l2);
        if (ihl < 0) {
            return counters.drop(PspStatus.MALFORMED);
        }
        int total = u16(mem, ip + 2);
        if (total < ihl || l2 + total > frameLength) {
            return counters.drop(PspStatus.MALFORMED);
        }
        int payload = total - ihl;
        int vc = sa.virtualizationCookie() ? PspHeader.VC_BYTES : 0;
        int clear = sa.cryptOffset() * 4;
        if (sa.version().encrypts() && clear > vc + payload) {
            return counters.drop(PspStatus.CRYPT_OFFSET_TOO_LARGE);
        }
        int insert = UDP_BYTES + PspHeader.HEADER_BYTES + vc;
        int newTotal = total + insert + PspHeader.ICV_BYTES;
        if (newTotal > MAX_IPV4_TOTAL || !fitsCryptoBlock(sa.version(), vc + payload, clear)) {
            return counters.drop(PspStatus.TOO_LARGE);
        }
        if (frameOffset < insert || frameOffset + l2 + total + PspHeader.ICV_BYTES > mem.byteSize()) {
            return counters.drop(PspStatus.NO_ROOM);
        }
        int protocol = u8(mem, ip + 9);
        int sourcePort = (protocol == IP_PROTO_UDP || protocol == IP_PROTO_TCP) && payload >= 2
                ? u16(mem, ip + ihl) : PspHeader.UDP_PORT;

        long newFrame = frameOffset - insert;
        MemorySegment.copy(mem, frameOffset, mem, newFrame, l2 + ihl);
        long newIp = newFrame + l2;
        setU16(mem, newIp + 2, newTotal);
        mem.set(ValueLayout.JAVA_BYTE, newIp + 9, (byte) IP_PROTO_UDP);
        setIpv4Checksum(mem, newIp, ihl);

        long udp = newIp + ihl;
        setU16(mem, udp, sourcePort);
        setU16(mem, udp + 2, PspHeader.UDP_PORT);
        setU16(mem, udp + 4, newTotal - ihl);
        setU16(mem, udp + 6, 0); // no UDP checksum over IPv4: the ICV protects the payload, as in the reference

        long psp = udp + UDP_BYTES;
        PspHeader.write(mem, psp, protocol, sa.cryptOffset(), sa.version(), vc != 0, sa.spi(), 0L);
        if (vc != 0) {
            PspHeader.setVirtualizationCookie(mem, psp, virtualizationCookie);
        }
        long icv = newIp + newTotal - PspHeader.ICV_BYTES;
        mem.set(BE_LONG, icv, 0L);
        mem.set(BE_LONG, icv + 8, 0L);

        resultOffset = newFrame;
        resultLength = l2 + newTotal;
        counters.encapsulated();
        return PspStatus.OK;
    }

    /**
     * Adds the seal of an encapsulated frame to a crypto batch: writes the IV
     * into its PSP header and a descriptor (key, nonce = SPI || IV, AAD, text,
     * ICV slot) into the batch. Run {@code stage.process(batch)} next, then
     * {@link #completeSeal}.
     *
     * @param mem must be the batch's host memory
     * @param iv  this packet's IV; never reuse one under the same SA
     * @return the descriptor index (&gt;= 0), or a negative {@link PspStatus}
     * @throws IllegalArgumentException when {@code mem} is not the batch's host memory (a caller bug)
     */
    public int addSeal(CryptoBatch batch, MemorySegment mem, long frameOffset, int frameLength, PspSa sa, long iv) {
        requireHostMemory(batch, mem);
        int status = parse(mem, frameOffset, frameLength, sa);
        if (status != PspStatus.OK) {
            return counters.drop(status);
        }
        if (batch.size() == batch.capacity()) {
            return counters.drop(PspStatus.BATCH_FULL);
        }
        PspHeader.setIv(mem, parsedPsp, iv);
        return addDescriptor(batch, CryptoBatch.OP_SEAL, mem);
    }

    /**
     * Prepares an encapsulated frame for a seal done <em>inline</em>, by a NIC on its way
     * to the wire, in place of {@link #addSeal}: checks the frame against the SA, writes the
     * IV into its PSP header, and leaves the ICV's 16 bytes for the NIC to append (the frame
     * the NIC reads is {@code frameLength - 16} bytes; its IPv4 and UDP lengths already
     * count the ICV). Only AES-GCM SAs (versions 0 and 1): a GMAC SA authenticates
     * everything and has no text, which the NIC's seal does not do. Counted as sealed here:
     * the NIC refuses only what the port then counts as its own error.
     *
     * @param iv this packet's IV; never reuse one under the same SA
     * @return {@link PspStatus#OK}, then the PSP header's offset in the frame is
     *         {@link #pspHeaderOffset()}; or a drop reason (counted)
     */
    public int prepareInlineSeal(MemorySegment mem, long frameOffset, int frameLength, PspSa sa, long iv) {
        if (!sa.version().encrypts()) {
            return counters.drop(PspStatus.WRONG_VERSION);
        }
        int status = parse(mem, frameOffset, frameLength, sa);
        if (status != PspStatus.OK) {
            return counters.drop(status);
        }
        PspHeader.setIv(mem, parsedPsp, iv);
        pspHeaderOffset = (int) (parsedPsp - frameOffset);
        counters.sealed();
        return PspStatus.OK;
    }

    /** Where the PSP header is in the frame {@link #prepareInlineSeal} last accepted. */
    public int pspHeaderOffset() {
        return pspHeaderOffset;
    }

    /**
     * After the stage ran: OK when the seal of descriptor {@code i} was done,
     * else counts the drop and says why.
     */
    public int completeSeal(CryptoBatch batch, int i) {
        int s = batch.status(i);
        if (s == CryptoBatch.STATUS_DONE) {
            counters.sealed();
            return PspStatus.OK;
        }
        return counters.drop(s == CryptoBatch.STATUS_PENDING ? PspStatus.NOT_PROCESSED : PspStatus.CRYPTO_REJECTED);
    }

    /**
     * Checks a received frame's UDP and PSP headers against the SA and adds its
     * open to a crypto batch. Run {@code stage.process(batch)} next, then
     * {@link #decapsulate}.
     *
     * @param mem must be the batch's host memory
     * @return the descriptor index (&gt;= 0), or a negative {@link PspStatus} (counted)
     * @throws IllegalArgumentException when {@code mem} is not the batch's host memory (a caller bug)
     */
    public int addOpen(CryptoBatch batch, MemorySegment mem, long frameOffset, int frameLength, PspSa sa) {
        requireHostMemory(batch, mem);
        int status = parse(mem, frameOffset, frameLength, sa);
        if (status != PspStatus.OK) {
            return counters.drop(status);
        }
        if (batch.size() == batch.capacity()) {
            return counters.drop(PspStatus.BATCH_FULL);
        }
        return addDescriptor(batch, CryptoBatch.OP_OPEN, mem);
    }

    /**
     * After the stage opened descriptor {@code i} of this frame: when the ICV
     * verified, removes UDP, PSP header (and cookie) and ICV in place, restores
     * the IPv4 protocol from the next-header field, the total length and the
     * checksum; the frame is then at {@link #frameOffset()}/{@link #frameLength()}.
     * When it did not, the packet is to be dropped: counted, nothing delivered,
     * the frame left as it was.
     *
     * @return {@link PspStatus#OK}, or {@link PspStatus#AUTH_FAILED} and the other drop reasons
     */
    public int decapsulate(CryptoBatch batch, int i, MemorySegment mem, long frameOffset, int frameLength) {
        requireHostMemory(batch, mem);
        int s = batch.status(i);
        if (s == CryptoBatch.STATUS_AUTH_FAILED) {
            return counters.drop(PspStatus.AUTH_FAILED);
        }
        if (s == CryptoBatch.STATUS_REJECTED) {
            return counters.drop(PspStatus.CRYPTO_REJECTED);
        }
        if (s != CryptoBatch.STATUS_DONE || batch.op(i) != CryptoBatch.OP_OPEN) {
            return counters.drop(PspStatus.NOT_PROCESSED);
        }
        int status = parse(mem, frameOffset, frameLength, null);
        if (status != PspStatus.OK) {
            return counters.drop(status);
        }
        if (batch.aadOffset(i) != parsedAadOffset || batch.tagOffset(i) != parsedIcv) {
            return counters.drop(PspStatus.NOT_PROCESSED); // the descriptor is some other frame's
        }
        return strip(mem, frameOffset);
    }

    /**
     * {@link #decapsulate} for a frame a NIC opened inline: its text is already plaintext
     * and its ICV was checked by the NIC (the caller's word: only a completion that says
     * the tag matched may come here). Removes UDP, PSP header and ICV as decapsulate does.
     *
     * @return {@link PspStatus#OK}, the frame at {@link #frameOffset()}/{@link #frameLength()};
     *         or a drop reason (counted)
     */
    public int decapsulateOpened(MemorySegment mem, long frameOffset, int frameLength) {
        int status = parse(mem, frameOffset, frameLength, null);
        if (status != PspStatus.OK) {
            return counters.drop(status);
        }
        return strip(mem, frameOffset);
    }

    /** Removes what {@link #parse} found of UDP, PSP header and ICV, in place. */
    private int strip(MemorySegment mem, long frameOffset) {
        int remove = UDP_BYTES + parsedHeaderLength;
        int newTotal = parsedIpTotal - remove - PspHeader.ICV_BYTES;
        long ip = frameOffset + parsedL2;
        setU16(mem, ip + 2, newTotal);
        mem.set(ValueLayout.JAVA_BYTE, ip + 9, (byte) PspHeader.nextHeader(mem, parsedPsp));
        setIpv4Checksum(mem, ip, parsedIhl);
        MemorySegment.copy(mem, frameOffset, mem, frameOffset + remove, parsedL2 + parsedIhl);
        resultOffset = frameOffset + remove;
        resultLength = parsedL2 + newTotal;
        counters.opened();
        return PspStatus.OK;
    }

    private int addDescriptor(CryptoBatch batch, int op, MemorySegment mem) {
        MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, parsedPsp + PspHeader.NONCE_OFFSET, nonce, 0,
                PspHeader.NONCE_BYTES);
        return batch.add(op, parsedKey, nonce, parsedAadOffset, parsedAadLength, parsedTextOffset,
                parsedTextLength, parsedIcv);
    }

    /**
     * Parses an encapsulated frame and computes the AAD, text and ICV ranges.
     * With an SA, also checks SPI and version against it (and remembers its key).
     */
    private int parse(MemorySegment mem, long frameOffset, int frameLength, PspSa sa) {
        if (frameOffset < 0 || frameLength < 0 || frameOffset + frameLength > mem.byteSize()) {
            return PspStatus.MALFORMED;
        }
        int l2 = l2Length(mem, frameOffset, frameLength);
        if (l2 < 0) {
            return PspStatus.MALFORMED;
        }
        long ip = frameOffset + l2;
        int ihl = ipv4HeaderLength(mem, ip, frameLength - l2);
        if (ihl < 0) {
            return PspStatus.MALFORMED;
        }
        if (u8(mem, ip + 9) != IP_PROTO_UDP) {
            return PspStatus.NOT_PSP;
        }
        int total = u16(mem, ip + 2);
        if (total < ihl + UDP_BYTES || l2 + total > frameLength) {
            return PspStatus.MALFORMED;
        }
        long udp = ip + ihl;
        if (u16(mem, udp + 2) != PspHeader.UDP_PORT) {
            return PspStatus.NOT_PSP;
        }
        int udpLength = u16(mem, udp + 4);
        if (udpLength != total - ihl
                || udpLength < UDP_BYTES + PspHeader.HEADER_BYTES + PspHeader.ICV_BYTES) {
            return PspStatus.MALFORMED;
        }
        long psp = udp + UDP_BYTES;
        if (!PspHeader.alwaysOne(mem, psp)) {
            return PspStatus.BAD_HEADER;
        }
        int extLen = PspHeader.hdrExtLen(mem, psp);
        boolean vBit = PspHeader.virtualizationCookiePresent(mem, psp);
        if (!(extLen == PspHeader.HDR_EXT_LEN_PLAIN && !vBit || extLen == PspHeader.HDR_EXT_LEN_WITH_VC && vBit)) {
            return PspStatus.BAD_HEADER;
        }
        int headerLength = 8 + 8 * extLen;
        // Everything between the base header and the ICV, cookie included.
        int afterBase = udpLength - UDP_BYTES - PspHeader.HEADER_BYTES - PspHeader.ICV_BYTES;
        if (headerLength - PspHeader.HEADER_BYTES > afterBase) {
            return PspStatus.MALFORMED;
        }
        PspVersion version = PspVersion.fromCode(PspHeader.version(mem, psp));
        if (version == null || sa != null && version != sa.version()) {
            return PspStatus.WRONG_VERSION;
        }
        if (sa != null && PspHeader.spi(mem, psp) != sa.spi()) {
            return PspStatus.WRONG_SPI;
        }
        long icv = psp + PspHeader.HEADER_BYTES + afterBase;
        long aadLength;
        if (version.encrypts()) {
            int clear = PspHeader.cryptOffset(mem, psp) * 4;
            if (clear > afterBase) {
                return PspStatus.CRYPT_OFFSET_TOO_LARGE;
            }
            aadLength = PspHeader.HEADER_BYTES + clear;
        } else {
            aadLength = PspHeader.HEADER_BYTES + afterBase;
        }
        int textLength = (int) (icv - psp - aadLength);
        if (aadLength > CryptoBatch.MAX_AAD || textLength > CryptoBatch.MAX_TEXT) {
            return PspStatus.TOO_LARGE;
        }
        parsedL2 = l2;
        parsedIhl = ihl;
        parsedIpTotal = total;
        parsedPsp = psp;
        parsedHeaderLength = headerLength;
        parsedAadOffset = psp;
        parsedAadLength = (int) aadLength;
        parsedTextOffset = psp + aadLength;
        parsedTextLength = textLength;
        parsedIcv = icv;
        parsedKey = sa != null ? sa.keyForDescriptor() : null;
        return PspStatus.OK;
    }

    private static boolean fitsCryptoBlock(PspVersion version, int afterBase, int clear) {
        if (version.encrypts()) {
            return PspHeader.HEADER_BYTES + clear <= CryptoBatch.MAX_AAD && afterBase - clear <= CryptoBatch.MAX_TEXT;
        }
        return PspHeader.HEADER_BYTES + afterBase <= CryptoBatch.MAX_AAD;
    }

    private static void requireHostMemory(CryptoBatch batch, MemorySegment mem) {
        MemorySegment host = batch.hostMemory();
        if (mem != host && !mem.equals(host)) {
            throw new IllegalArgumentException("the frame's memory must be the crypto batch's host memory");
        }
    }

    /** Length of the Ethernet header (14, or 18 with one 802.1Q tag) when it carries IPv4, else -1. */
    static int l2Length(MemorySegment mem, long frame, int frameLength) {
        if (frameLength < ETH_BYTES + IPV4_MIN_HEADER) {
            return -1;
        }
        int type = u16(mem, frame + 12);
        int l2 = ETH_BYTES;
        if (type == ETHERTYPE_VLAN) {
            if (frameLength < ETH_BYTES + VLAN_BYTES + IPV4_MIN_HEADER) {
                return -1;
            }
            type = u16(mem, frame + 16);
            l2 += VLAN_BYTES;
        }
        return type == ETHERTYPE_IPV4 ? l2 : -1;
    }

    /** IPv4 header length in bytes when version and IHL are sane and it fits, else -1. */
    static int ipv4HeaderLength(MemorySegment mem, long ip, int available) {
        int versionIhl = u8(mem, ip);
        int ihl = (versionIhl & 0x0F) * 4;
        if (versionIhl >>> 4 != 4 || ihl < IPV4_MIN_HEADER || ihl > available) {
            return -1;
        }
        return ihl;
    }

    static void setIpv4Checksum(MemorySegment mem, long ip, int ihl) {
        setU16(mem, ip + 10, 0);
        setU16(mem, ip + 10, InternetChecksum.checksum(mem, ip, ihl, 0));
    }

    static int u8(MemorySegment mem, long at) {
        return mem.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    static int u16(MemorySegment mem, long at) {
        return mem.get(BE_SHORT, at) & 0xFFFF;
    }

    static void setU16(MemorySegment mem, long at, int v) {
        mem.set(BE_SHORT, at, (short) v);
    }
}
