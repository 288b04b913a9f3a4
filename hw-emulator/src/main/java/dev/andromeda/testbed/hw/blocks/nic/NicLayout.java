package dev.andromeda.testbed.hw.blocks.nic;

/**
 * The NIC's contract with its driver: the AXI4-Lite register map and the ring formats in
 * host memory (rtl/nic/README.md is the datasheet; this class is its single source in Java,
 * read by the cycle model and the driver alike).
 *
 * <pre>
 * TX descriptor, 16 bytes, little-endian        RX descriptor, 16 bytes
 *  0        8       10      12      14  15        0        8       10          16
 *  +--------+-------+-------+-------+---+---+     +--------+-------+-----------+
 *  | addr   | len   | start | insert|flg|key|     | addr   | cap   | 0         |
 *  +--------+-------+-------+-------+---+---+     +--------+-------+-----------+
 *
 * Completion, 8 bytes (one bus beat, written whole)
 *  0       2       4        5       7
 *  +-------+-------+--------+-------+-----+
 *  | len   | csum  | status | flags | phs |
 *  +-------+-------+--------+-------+-----+
 * </pre>
 * Rings are indexed by free-running 16-bit counters; slot = index mod size. The host owns
 * the tail (a doorbell register write publishes descriptors up to it), the NIC the head.
 * Completion slot i answers descriptor slot i. Its phase bit is 1 on the ring's first pass,
 * 0 on the second, and so on, so the host, which zeroes the completion ring once, knows a
 * fresh completion from last lap's without a register read.
 */
public final class NicLayout {
    private NicLayout() {
    }

    /** The value of {@link #REG_ID}: "NIC" and version 1. */
    public static final int ID = 0x4E494301;

    // Register byte addresses (32-bit registers on a 12-bit AXI4-Lite address).
    public static final int REG_ID = 0x000;
    /** Bit 0: the engine fetches descriptors. Clear it and the NIC finishes the job at hand and stops. */
    public static final int REG_CTRL = 0x004;
    /** The registered memory window: every buffer and ring must lie in [base, base + size). */
    public static final int REG_MEM_BASE_LO = 0x008;
    public static final int REG_MEM_BASE_HI = 0x00C;
    public static final int REG_MEM_SIZE_LO = 0x010;
    public static final int REG_MEM_SIZE_HI = 0x014;
    /** Where the RX checksum-complete sum starts in a frame (14: after the Ethernet header). */
    public static final int REG_RX_CSUM_START = 0x018;
    public static final int REG_TXQ_BASE_LO = 0x020;
    public static final int REG_TXQ_BASE_HI = 0x024;
    /** log2 of the ring's slots, 1..12; the TX completion ring has as many. */
    public static final int REG_TXQ_LOG_SIZE = 0x028;
    /** The TX doorbell: the host's producer index. */
    public static final int REG_TXQ_TAIL = 0x02C;
    /** Read-only: the NIC's consumer index (descriptors completed). */
    public static final int REG_TXQ_HEAD = 0x030;
    public static final int REG_TXCQ_BASE_LO = 0x038;
    public static final int REG_TXCQ_BASE_HI = 0x03C;
    public static final int REG_RXQ_BASE_LO = 0x040;
    public static final int REG_RXQ_BASE_HI = 0x044;
    public static final int REG_RXQ_LOG_SIZE = 0x048;
    /** The RX doorbell: buffers posted up to here. */
    public static final int REG_RXQ_TAIL = 0x04C;
    public static final int REG_RXQ_HEAD = 0x050;
    public static final int REG_RXCQ_BASE_LO = 0x058;
    public static final int REG_RXCQ_BASE_HI = 0x05C;
    // Completion moderation and the interrupt (0x080..0x09F). Per direction a count (raise
    // after N completions not yet signalled) and a timer (raise T cycles after the first of
    // them); 0 turns a rule off, both 0 (reset) means no interrupts: the host polls.
    /** Bit 0 TX, bit 1 RX: raised by moderation; write 1 to clear (a raise wins over a clear). */
    public static final int REG_IRQ_STATUS = 0x080;
    /** Bits as {@link #REG_IRQ_STATUS}: the {@code irq} output is (status &amp; mask) != 0. */
    public static final int REG_IRQ_MASK = 0x084;
    /** Raise TX after this many completions since the last TX raise (16-bit; 0: off). */
    public static final int REG_TX_IRQ_COUNT = 0x088;
    /** Raise TX this many cycles after the first completion not yet signalled (16-bit; 0: off). */
    public static final int REG_TX_IRQ_TIMER = 0x08C;
    public static final int REG_RX_IRQ_COUNT = 0x090;
    public static final int REG_RX_IRQ_TIMER = 0x094;
    /** Read-only counter: raises (a TX and an RX raise in one cycle count two). */
    public static final int REG_INTERRUPTS = 0x098;
    public static final int IRQ_TX = 1;
    public static final int IRQ_RX = 2;
    /** PSP: the SA table in host memory, {@link #SA_SLOTS} entries of {@link #SA_BYTES}, indexed by the key byte. */
    public static final int REG_SA_BASE_LO = 0x060;
    public static final int REG_SA_BASE_HI = 0x064;
    /** PSP: bit 0 enables RX open (PSP frames recognized on the wire are opened into the buffer). */
    public static final int REG_PSP_CTRL = 0x068;
    // Counters, read-only, 32-bit wrapping, since reset.
    public static final int REG_TX_PACKETS = 0x100;
    public static final int REG_TX_BYTES = 0x104;
    public static final int REG_RX_PACKETS = 0x108;
    public static final int REG_RX_BYTES = 0x10C;
    /** Error completions on the TX ring (malformed descriptors included). */
    public static final int REG_TX_ERRORS = 0x110;
    public static final int REG_RX_ERRORS = 0x114;
    /** Cycles the wire offered a beat the NIC could not take (back-pressure on s_axis). */
    public static final int REG_RX_STALL_CYCLES = 0x118;
    /** Bus errors on the memory master, completion writes included. */
    public static final int REG_MEM_ERRORS = 0x11C;
    /** PSP: TX descriptors sealed and sent with an OK completion. */
    public static final int REG_PSP_TX_SEALED = 0x120;
    /** PSP: TX descriptors with the PSP flag that got an error completion (any status). */
    public static final int REG_PSP_TX_ERRORS = 0x124;
    /** PSP: RX frames opened, tag matched. */
    public static final int REG_PSP_RX_OPENED = 0x128;
    /** PSP: RX frames whose tag did not match ({@link #ST_PSP_AUTH}). */
    public static final int REG_PSP_RX_AUTH_FAIL = 0x12C;
    /** PSP: other RX open failures (no SA, malformed lengths, bus errors). */
    public static final int REG_PSP_RX_ERRORS = 0x130;

    /**
     * RX PSP open: where the NIC looks for the PSP header (Ethernet II, IPv4 without options,
     * UDP: 14 + 20 + 8), the layout Andromeda's hosts send.
     */
    public static final int RX_PSP_AT = 42;

    public static final int DESC_BYTES = 16;
    public static final int CPL_BYTES = 8;
    public static final int MAX_LOG_SIZE = 12;
    /** Largest frame, the checksum block's MAX_PACKET_BYTES. */
    public static final int MAX_FRAME = 9216;

    // TX descriptor flags (byte 14).
    /** Insert the RFC 1071 checksum summed from csum_start at csum_insert (CHECKSUM_PARTIAL). */
    public static final int FLAG_CSUM_INSERT = 1;
    /** With {@link #FLAG_CSUM_INSERT}: a checksum of 0 goes out as 0xFFFF (UDP, RFC 768). */
    public static final int FLAG_CSUM_UDP = 2;
    /**
     * PSP seal with the SA in slot byte 15: {@code start} is the PSP header's offset in the
     * frame (checksum flags and {@code insert} must be 0); the wire frame is len + 16 bytes.
     */
    public static final int FLAG_PSP = 4;
    public static final int FLAGS_KNOWN = FLAG_CSUM_INSERT | FLAG_CSUM_UDP | FLAG_PSP;

    // The PSP SA table (host memory, at REG_SA_BASE): one 64-byte entry per key slot.
    public static final int SA_SLOTS = 256;
    public static final int SA_BYTES = 64;
    /** Entry bytes 0..31: the key (AES-128 uses 0..15). */
    public static final int SA_KEY = 0;
    /** Entry byte 32: bit 0 valid, bit 1 AES-256. */
    public static final int SA_FLAGS = 32;
    public static final int SA_VALID = 1;
    public static final int SA_AES256 = 2;
    /** Entry bytes 36..39: the SPI, in network order as in the PSP header (RX: must equal the frame's). */
    public static final int SA_SPI = 36;
    /** The bytes of an entry the NIC reads (key and flags). */
    public static final int SA_READ_BYTES = 40;
    public static final int PSP_HEADER_BYTES = 16;
    public static final int PSP_ICV_BYTES = 16;

    // Completion status (byte 4).
    public static final int ST_OK = 0;
    /** Length 0, above {@link #MAX_FRAME}, or (RX) a buffer of capacity 0. */
    public static final int ST_BAD_LEN = 1;
    /** The buffer is not wholly inside the registered window (or, RX, not 8-byte aligned). */
    public static final int ST_BAD_ADDR = 2;
    /** csum_start beyond the frame, or the insert position's two bytes beyond it. */
    public static final int ST_BAD_CSUM = 3;
    /** A flag this NIC does not implement. */
    public static final int ST_UNSUPPORTED = 4;
    /** The memory answered a read or write of this job with a bus error. */
    public static final int ST_MEM_ERROR = 5;
    /** RX: the frame was longer than the buffer; the buffer holds its first cap bytes, nothing past it. */
    public static final int ST_TRUNCATED = 6;
    /** The checksum block refused the frame (see csum_offload's statuses). */
    public static final int ST_CSUM_REFUSED = 7;
    /**
     * A malformed PSP descriptor: checksum flags or insert set, len + 16 (the wire frame)
     * above {@link #MAX_FRAME}, start + 16 beyond the frame,
     * the AAD (16 + crypt offset * 4 bytes from start) beyond it, the SA entry outside the
     * window or not valid. Nothing is sent.
     */
    public static final int ST_PSP_BAD = 8;
    /** RX: the PSP frame's ICV did not match; no plaintext was written (the buffer holds the frame as received). */
    public static final int ST_PSP_AUTH = 9;
    /** RX: no valid SA in slot SPI &amp; 0xFF with the frame's SPI (or the slot lies outside the window). */
    public static final int ST_PSP_NO_SA = 10;

    /** Completion flags (byte 5), RX: the checksum-complete sum is valid. */
    public static final int CPL_CSUM_VALID = 1;
    /**
     * Completion flags, TX: the frame was sealed (PSP) and its 16-byte ICV appended on the
     * wire. RX: the frame was opened and its tag matched; the buffer holds the headers and
     * the AAD as received, the plaintext from the completion's csum field (the first
     * 8-byte boundary after the AAD) to its len.
     */
    public static final int CPL_PSP = 2;

    /** The completion word as the NIC writes it. */
    public static long completion(int len, int csum, int status, int flags, int phase) {
        return (len & 0xFFFFL) | (csum & 0xFFFFL) << 16 | (status & 0xFFL) << 32 | (flags & 0xFFL) << 40
                | (phase & 1L) << 56;
    }

    public static int cplLen(long c) {
        return (int) (c & 0xFFFF);
    }

    public static int cplCsum(long c) {
        return (int) (c >>> 16 & 0xFFFF);
    }

    public static int cplStatus(long c) {
        return (int) (c >>> 32 & 0xFF);
    }

    public static int cplFlags(long c) {
        return (int) (c >>> 40 & 0xFF);
    }

    public static int cplPhase(long c) {
        return (int) (c >>> 56 & 1);
    }

    /** The phase a completion for ring index {@code index} carries. */
    public static int phaseOf(int index, int logSize) {
        return ((index & 0xFFFF) >>> logSize & 1) ^ 1;
    }

    public static String statusName(int status) {
        return switch (status) {
            case ST_OK -> "ok";
            case ST_BAD_LEN -> "bad length";
            case ST_BAD_ADDR -> "address outside the registered memory";
            case ST_BAD_CSUM -> "checksum offsets outside the frame";
            case ST_UNSUPPORTED -> "unsupported flag";
            case ST_MEM_ERROR -> "memory bus error";
            case ST_TRUNCATED -> "frame longer than the buffer";
            case ST_CSUM_REFUSED -> "checksum block refused the frame";
            case ST_PSP_BAD -> "malformed PSP descriptor or SA";
            case ST_PSP_AUTH -> "PSP tag mismatch";
            case ST_PSP_NO_SA -> "no PSP SA for the SPI";
            default -> "status " + status;
        };
    }
}
