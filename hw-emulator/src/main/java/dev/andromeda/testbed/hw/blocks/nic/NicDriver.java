package dev.andromeda.testbed.hw.blocks.nic;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.*;

/**
 * The host's side of the NIC: its four rings live in host memory -- the same
 * {@link MemorySegment} the NIC's DMA reads and writes and the fast path's packets live in,
 * so a descriptor carries a packet's offset and nothing is copied. Posting writes
 * descriptors with plain stores; {@link #ringTx()}/{@link #ringRx()} publish them with one
 * doorbell register write each (once per batch, not per packet); completions are polled in
 * batches by their phase bit, without a register read.
 *
 * <p>Ring full is back-pressure: {@link #postTx} and {@link #postRx} say no, and the caller
 * keeps the packet. A cookie per slot (the caller's buffer number) comes back with its
 * completion.
 *
 * <p><b>PSP seal on TX</b>, in three calls:
 * <ol>
 *   <li>once: {@link #useSaTable(long)} -- 256 * 64 bytes of host memory inside the window
 *       for the SA table (zeroed: every slot invalid), its address written to the NIC;</li>
 *   <li>per SA: {@link #installSa(int, byte[], boolean, int)} -- key (16 or 32 bytes),
 *       AES-256 or not, SPI, into a slot 0..255 (plain stores; install before posting a
 *       frame that names it, and do not change a slot a posted frame still names);</li>
 *   <li>per frame: the host writes the frame as PSP transport mode puts it on the wire but
 *       without the ICV -- Ethernet/IP/UDP (dst 1000, checksum 0) with lengths that count
 *       the 16-byte ICV, the PSP header (crypt offset, SPI, IV) at {@code start}, the
 *       plaintext to the end -- and posts it with
 *       {@link #postTx(long, int, int, int, int, int, int) postTx(addr, len, start, 0,
 *       FLAG_PSP, slot, cookie)}. The NIC seals AAD = 16 + crypt offset * 4 bytes from
 *       {@code start} and the text after it, using nonce = header bytes 4..15, and sends
 *       len + 16 bytes: the completion's {@link NicLayout#cplLen} says len + 16 and its
 *       {@link NicLayout#cplFlags} has {@link NicLayout#CPL_PSP}. A malformed one completes
 *       with {@link NicLayout#ST_PSP_BAD} and sends nothing.</li>
 * </ol>
 *
 * <p><b>PSP open on RX</b>: {@link #enablePspRx(boolean) enablePspRx(true)} with the SAs
 * installed as above (slot = the SPI's low byte; the entry's SPI must equal the frame's).
 * A frame the NIC recognizes as PSP (Ethernet II, IPv4 with IHL 5, UDP to port 1000) is
 * written to the posted buffer as received, then read back through the GCM block; if the
 * tag matches, the completion has {@link NicLayout#CPL_PSP}, the buffer keeps the headers
 * and the AAD as received at [0, aad end), and the plaintext is at [{@link NicLayout#cplCsum},
 * {@link NicLayout#cplLen}) -- the first 8-byte boundary after the AAD (header split).
 * A failed tag completes {@link NicLayout#ST_PSP_AUTH}, an unknown SPI
 * {@link NicLayout#ST_PSP_NO_SA} (the buffer then holds the frame as received, ciphertext
 * only). Other frames are delivered as without PSP.
 */
public final class NicDriver {
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final NicDevice device;
    private final MemorySegment memory;
    private final int log;
    private final int size;
    private final long txq;
    private final long txcq;
    private final long rxq;
    private final long rxcq;
    private final int[] txCookie;
    private final int[] rxCookie;
    private int txTail;      // next slot the host fills
    private int txClean;     // next completion the host expects
    private int txRung;      // tail as last written to the doorbell
    private int rxTail;
    private int rxClean;
    private int rxRung;
    private long doorbells;
    private final int irqPort;  // the NIC's interrupt line, read as a pin (no bus access)
    private long completionReads;
    private long saTable = -1;

    /**
     * Programs the NIC: the memory window, the four rings (each of 2^logSize slots, at the
     * given offsets of {@code memory}, zeroed here) and enables it.
     *
     * @param windowBase first byte the NIC may touch
     * @param windowSize bytes it may touch from there
     * @param rings      where the rings start: 2 * 2^logSize * (16 + 8) bytes, 8-byte aligned, inside the window
     */
    public NicDriver(NicDevice device, MemorySegment memory, long windowBase, long windowSize, long rings,
                     int logSize) {
        if (logSize < 1 || logSize > MAX_LOG_SIZE) {
            throw new IllegalArgumentException("ring size must be 2^1..2^" + MAX_LOG_SIZE + ": 2^" + logSize);
        }
        if ((rings & 7) != 0) {
            throw new IllegalArgumentException("rings must be 8-byte aligned: " + rings);
        }
        this.device = device;
        this.memory = memory;
        this.log = logSize;
        this.size = 1 << logSize;
        this.txq = rings;
        this.txcq = txq + (long) size * DESC_BYTES;
        this.rxq = txcq + (long) size * CPL_BYTES;
        this.rxcq = rxq + (long) size * DESC_BYTES;
        memory.asSlice(rings, ringBytes(logSize)).fill((byte) 0);
        this.irqPort = device.model().port("irq");
        this.txCookie = new int[size];
        this.rxCookie = new int[size];
        long id = device.read(REG_ID);
        if (id != (ID & 0xFFFFFFFFL)) {
            throw new IllegalStateException("not a NIC: ID register reads 0x" + Long.toHexString(id));
        }
        write64(REG_MEM_BASE_LO, windowBase);
        write64(REG_MEM_SIZE_LO, windowSize);
        write64(REG_TXQ_BASE_LO, txq);
        write64(REG_TXCQ_BASE_LO, txcq);
        write64(REG_RXQ_BASE_LO, rxq);
        write64(REG_RXCQ_BASE_LO, rxcq);
        device.write(REG_TXQ_LOG_SIZE, logSize);
        device.write(REG_RXQ_LOG_SIZE, logSize);
        device.write(REG_CTRL, 1);
    }

    /** Bytes the four rings take for 2^logSize slots each. */
    public static long ringBytes(int logSize) {
        return 2L * (1L << logSize) * (DESC_BYTES + CPL_BYTES);
    }

    private void write64(int lo, long v) {
        device.write(lo, v & 0xFFFFFFFFL);
        device.write(lo + 4, v >>> 32);
    }

    public NicDevice device() {
        return device;
    }

    public int ringSize() {
        return size;
    }

    /** Descriptors posted on TX and not yet completed. */
    public int txInFlight() {
        return (txTail - txClean) & 0xFFFF;
    }

    public int rxPosted() {
        return (rxTail - rxClean) & 0xFFFF;
    }

    /** Register writes made to doorbells. */
    public long doorbells() {
        return doorbells;
    }

    /** Completion-ring entries read so far (polls and peeks): what waiting on the interrupt saves. */
    public long completionReads() {
        return completionReads;
    }

    /**
     * Programs completion moderation and unmasks the interrupt for the directions that have
     * a rule: per direction raise after {@code count} completions not yet signalled, or
     * {@code timer} cycles after the first of them (0 turns a rule off). Register writes run
     * to their response.
     */
    public void moderate(int txCount, int txTimer, int rxCount, int rxTimer) {
        device.write(REG_TX_IRQ_COUNT, txCount);
        device.write(REG_TX_IRQ_TIMER, txTimer);
        device.write(REG_RX_IRQ_COUNT, rxCount);
        device.write(REG_RX_IRQ_TIMER, rxTimer);
        int mask = (txCount != 0 || txTimer != 0 ? IRQ_TX : 0) | (rxCount != 0 || rxTimer != 0 ? IRQ_RX : 0);
        device.write(REG_IRQ_MASK, mask);
    }

    /**
     * Re-arms a direction's count ({@link NicLayout#IRQ_TX} or {@link NicLayout#IRQ_RX}): a
     * posted write (the caller does not wait for it; it lands before a doorbell posted after it).
     */
    public void armCount(int direction, int count) {
        device.registers().postWrite(direction == IRQ_TX ? REG_TX_IRQ_COUNT : REG_RX_IRQ_COUNT, count & 0xFFFF);
    }

    /** The interrupt line: a pin, as a CPU sees it, not a bus access. */
    public boolean irq() {
        return device.model().get(irqPort) != 0;
    }

    /**
     * Acknowledges {@code bits} of IRQ_STATUS (write 1 to clear), run to its response, so a
     * raise after this returns is not lost; poll the rings after it, not before.
     */
    public void ackIrq(int bits) {
        device.write(REG_IRQ_STATUS, bits);
    }

    /**
     * Places the PSP SA table at {@code base} (64-byte aligned, {@link NicLayout#SA_SLOTS} *
     * {@link NicLayout#SA_BYTES} bytes inside the window), zeroed, and tells the NIC.
     */
    public void useSaTable(long base) {
        if ((base & 63) != 0) {
            throw new IllegalArgumentException("the SA table must be 64-byte aligned: " + base);
        }
        memory.asSlice(base, (long) SA_SLOTS * SA_BYTES).fill((byte) 0);
        write64(REG_SA_BASE_LO, base);
        saTable = base;
    }

    /**
     * Installs an SA in {@code slot} of the table ({@link #useSaTable} first): the key (16
     * bytes, or 32 with {@code aes256}), marked valid, with its SPI.
     */
    public void installSa(int slot, byte[] key, boolean aes256, int spi) {
        if (saTable < 0) {
            throw new IllegalStateException("no SA table: call useSaTable first");
        }
        if (slot < 0 || slot >= SA_SLOTS) {
            throw new IllegalArgumentException("SA slot must be 0.." + (SA_SLOTS - 1) + ": " + slot);
        }
        if (key.length != (aes256 ? 32 : 16)) {
            throw new IllegalArgumentException("key must be " + (aes256 ? 32 : 16) + " bytes: " + key.length);
        }
        long at = saTable + (long) slot * SA_BYTES;
        MemorySegment entry = memory.asSlice(at, SA_BYTES);
        entry.fill((byte) 0);
        MemorySegment.copy(key, 0, entry, ValueLayout.JAVA_BYTE, SA_KEY, key.length);
        entry.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), SA_SPI, spi); // as on the wire
        entry.set(ValueLayout.JAVA_BYTE, SA_FLAGS, (byte) (SA_VALID | (aes256 ? SA_AES256 : 0)));
    }

    /** Turns PSP open on RX on or off ({@link NicLayout#REG_PSP_CTRL}). */
    public void enablePspRx(boolean on) {
        device.write(REG_PSP_CTRL, on ? 1 : 0);
    }

    /** Marks {@code slot} invalid: a frame naming it completes {@link NicLayout#ST_PSP_BAD}. */
    public void removeSa(int slot) {
        if (saTable < 0 || slot < 0 || slot >= SA_SLOTS) {
            throw new IllegalArgumentException("no such SA slot: " + slot);
        }
        memory.set(ValueLayout.JAVA_BYTE, saTable + (long) slot * SA_BYTES + SA_FLAGS, (byte) 0);
    }

    /**
     * Writes a TX descriptor. {@code flags}: {@link NicLayout#FLAG_CSUM_INSERT} and friends.
     *
     * @return false when the ring is full (nothing written)
     */
    public boolean postTx(long address, int length, int csumStart, int csumInsert, int flags, int cookie) {
        return postTx(address, length, csumStart, csumInsert, flags, 0, cookie);
    }

    /**
     * Writes a TX descriptor naming SA slot {@code keySlot} (with {@link NicLayout#FLAG_PSP};
     * {@code csumStart} is then the PSP header's offset and {@code csumInsert} 0).
     *
     * @return false when the ring is full (nothing written)
     */
    public boolean postTx(long address, int length, int csumStart, int csumInsert, int flags, int keySlot,
                          int cookie) {
        if (txInFlight() == size) {
            return false;
        }
        int slot = txTail & (size - 1);
        long at = txq + (long) slot * DESC_BYTES;
        memory.set(LE_LONG, at, address);
        memory.set(LE_LONG, at + 8, (length & 0xFFFFL) | (csumStart & 0xFFFFL) << 16
                | (csumInsert & 0xFFFFL) << 32 | (flags & 0xFFL) << 48 | (keySlot & 0xFFL) << 56);
        txCookie[slot] = cookie;
        txTail = (txTail + 1) & 0xFFFF;
        return true;
    }

    /** Posts an RX buffer of {@code capacity} bytes at {@code address} (8-byte aligned). */
    public boolean postRx(long address, int capacity, int cookie) {
        if (rxPosted() == size) {
            return false;
        }
        int slot = rxTail & (size - 1);
        long at = rxq + (long) slot * DESC_BYTES;
        memory.set(LE_LONG, at, address);
        memory.set(LE_LONG, at + 8, capacity & 0xFFFFL);
        rxCookie[slot] = cookie;
        rxTail = (rxTail + 1) & 0xFFFF;
        return true;
    }

    /** Rings the TX doorbell if anything was posted since the last ring. */
    public void ringTx() {
        if (txRung != txTail) {
            device.registers().postWrite(REG_TXQ_TAIL, txTail);
            txRung = txTail;
            doorbells++;
        }
    }

    public void ringRx() {
        if (rxRung != rxTail) {
            device.registers().postWrite(REG_RXQ_TAIL, rxTail);
            rxRung = rxTail;
            doorbells++;
        }
    }

    /**
     * Takes up to {@code max} TX completions, in ring order: the caller's cookie and the
     * completion word ({@link NicLayout#cplStatus} and friends read it).
     *
     * @return completions taken
     */
    public int pollTx(int[] cookies, long[] completions, int max) {
        int n = 0;
        while (n < max && txClean != txTail) {
            int slot = txClean & (size - 1);
            long c = memory.get(LE_LONG, txcq + (long) slot * CPL_BYTES);
            completionReads++;
            if (cplPhase(c) != phaseOf(txClean, log)) {
                break;
            }
            cookies[n] = txCookie[slot];
            completions[n] = c;
            n++;
            txClean = (txClean + 1) & 0xFFFF;
        }
        return n;
    }

    public int pollRx(int[] cookies, long[] completions, int max) {
        int n = 0;
        while (n < max && rxClean != rxTail) {
            int slot = rxClean & (size - 1);
            long c = memory.get(LE_LONG, rxcq + (long) slot * CPL_BYTES);
            completionReads++;
            if (cplPhase(c) != phaseOf(rxClean, log)) {
                break;
            }
            cookies[n] = rxCookie[slot];
            completions[n] = c;
            n++;
            rxClean = (rxClean + 1) & 0xFFFF;
        }
        return n;
    }

    /** TX completions written and not yet taken (a peek: nothing is consumed). */
    public int txReady() {
        return ready(txcq, txClean, txTail);
    }

    /** RX completions written and not yet taken. */
    public int rxReady() {
        return ready(rxcq, rxClean, rxTail);
    }

    private int ready(long cq, int clean, int tail) {
        int n = 0;
        for (int i = clean; i != tail; i = (i + 1) & 0xFFFF) {
            long c = memory.get(LE_LONG, cq + (long) (i & (size - 1)) * CPL_BYTES);
            completionReads++;
            if (cplPhase(c) != phaseOf(i, log)) {
                break;
            }
            n++;
        }
        return n;
    }
}
