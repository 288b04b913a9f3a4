package dev.andromeda.testbed.hw.port;

import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.PhysicalPort;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.psp.PspSa;
import dev.andromeda.testbed.fastpath.psp.PspVersion;
import dev.andromeda.testbed.hw.HardwareBackend;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.nic.NicDevice;
import dev.andromeda.testbed.hw.blocks.nic.NicDriver;
import dev.andromeda.testbed.hw.blocks.nic.NicLayout;
import dev.andromeda.testbed.hw.blocks.nic.NicModule;
import dev.andromeda.testbed.hw.blocks.nic.WireIn;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.andromeda.testbed.fastpath.psp.PspHeader.HEADER_BYTES;
import static dev.andromeda.testbed.fastpath.psp.PspHeader.ICV_BYTES;
import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.RX_PSP_AT;

/**
 * A host's physical port on the emulated NIC ({@code port=emu} in a stage mix): the host's
 * packet pool is the NIC's host memory, so a TX descriptor carries the packet's own offset
 * and the NIC's DMA reads it where the fast path wrote it; RX buffers are pool buffers the
 * NIC writes into and the fast path then owns. One doorbell write per batch and direction;
 * completions polled in batches. The NIC's wire goes to {@code wire} (the in-memory switch).
 *
 * <pre>
 *   fast path --TX ring--> NIC (DMA read, checksum block) --m_axis--> wire
 *   fast path <--RX ring-- NIC (DMA write, checksum complete) <--s_axis-- wire
 * </pre>
 *
 * The NIC is simulated in the caller's thread, inside {@code transmit} and {@code receive}
 * (so, as a Verilated model requires, the thread that created the port must be the one that
 * uses it), until the batch is through: the port's cost is the CPU of driving it plus the
 * simulation, counted here apart ({@link #cycles()}).
 *
 * <p>Waiting on the NIC: by default the port arms completion moderation for the batch at
 * hand (count = the completions it waits for) and watches the interrupt line, then
 * acknowledges and takes the completions in one pass -- instead of reading the completion
 * ring every simulated cycle ({@code interrupts=false}, the polling driver). What that saves
 * is {@link #completionReads()} per batch; it costs two register writes per wait (the
 * acknowledge, run to its response so no raise is lost, and the re-arm, posted).
 *
 * <p>Ring full is back-pressure: transmit runs the NIC until a slot frees, it never drops. A
 * descriptor the NIC refuses (an error completion) is counted ({@link #errors()}) and its
 * frame not sent; the caller counts it with the wire's refusals.
 */
public final class NicPort implements PhysicalPort {
    /** 64 slots a ring: two TX batches of 32, half an RX batch of 128 per turn. */
    public static final int LOG_RING = 6;
    private static final int STEP_LIMIT = 5_000_000;
    /** Where the NIC's RX checksum-complete starts: REG_RX_CSUM_START at reset, after the Ethernet header. */
    private static final int RX_CSUM_START = 14;

    private final PhysicalPort wire;
    private final PacketPool pool;
    private final NicDevice device;
    private final NicDriver driver;
    private final int ringBuffer;
    private final HostBatch fromWire = new HostBatch(64);
    private final HostBatch toWire = new HostBatch(64);
    private final int[] cookies = new int[64];
    private final long[] completions = new long[64];
    private final int rxCapacity;
    private long errors;
    private long framesOut;
    private long framesIn;
    private int rxInNic; // frames handed to the NIC's wire in, not yet completed
    private int wireTook; // frames the wire took during the current transmit
    private final boolean interrupts;
    private long checksumsInserted;
    /** The PSP SA table's pool buffers (contiguous), or -1 when the pool could not give them. */
    private final int saBuffer;
    private final int saBuffers;
    private final PspSa[] saInSlot = new PspSa[NicLayout.SA_SLOTS];
    private boolean pspRxOn;
    private long pspSealed;
    private long pspOpened;

    /**
     * @param model a NIC model (block {@value NicModule#BLOCK}), reset
     * @param wire  where the NIC's wire goes
     * @param pool  the host's packet pool: its memory is the NIC's host memory
     */
    public NicPort(HardwareModel model, PhysicalPort wire, PacketPool pool) {
        this(model, wire, pool, true);
    }

    /**
     * @param interrupts wait on the NIC's interrupt (completion moderation armed per batch),
     *                   or false: poll the completion rings every simulated cycle
     */
    public NicPort(HardwareModel model, PhysicalPort wire, PacketPool pool, boolean interrupts) {
        this.wire = wire;
        this.interrupts = interrupts;
        this.pool = pool;
        MemorySegment memory = pool.memory();
        if (NicDriver.ringBytes(LOG_RING) > pool.bufferBytes()) {
            throw new IllegalArgumentException("the NIC's rings (" + NicDriver.ringBytes(LOG_RING)
                    + " bytes) do not fit a pool buffer (" + pool.bufferBytes() + ")");
        }
        this.ringBuffer = pool.allocate();
        if (ringBuffer < 0) {
            throw new IllegalStateException("no pool buffer left for the NIC's rings");
        }
        this.device = new NicDevice(model, memory, NicDevice.Timing.steady(4), this::frameOut, pool::free);
        this.driver = new NicDriver(device, memory, 0, memory.byteSize(), pool.base(ringBuffer), LOG_RING);
        this.rxCapacity = Math.min(0xFFFF, pool.maxFrameBytes()) & ~7;
        int saBuffers = (NicLayout.SA_SLOTS * NicLayout.SA_BYTES + pool.bufferBytes() - 1) / pool.bufferBytes();
        this.saBuffer = allocateContiguous(pool, saBuffers);
        this.saBuffers = saBuffer >= 0 ? saBuffers : 0;
        if (saBuffer >= 0) {
            driver.useSaTable(pool.base(saBuffer));
        }
        if (interrupts) {
            driver.moderate(1, 0, 1, 0); // counts re-armed per wait; no timer: every wait has a count
        }
    }

    /**
     * {@code n} pool buffers in a row (a fresh pool hands them out in order), the first's
     * index; -1, nothing kept, when the pool gives scattered ones: then no SA table and no
     * inline PSP (the host seals in software), never a table over other buffers.
     */
    private static int allocateContiguous(PacketPool pool, int n) {
        int[] got = new int[n];
        int k = 0;
        for (; k < n; k++) {
            got[k] = pool.allocate();
            if (got[k] < 0 || got[k] != got[0] + k) {
                break;
            }
        }
        if (k == n) {
            return got[0];
        }
        for (int j = 0; j <= k && j < n; j++) {
            if (got[j] >= 0) {
                pool.free(got[j]);
            }
        }
        return -1;
    }

    /**
     * The SA's slot in the NIC's table: SPI &amp; 0xFF, the slot the NIC's receive side looks
     * up by the SPI of a frame, so one table serves both directions. Installed on first use
     * (and again when the SPI's key changed: the TX ring is empty whenever the host asks, so
     * no posted frame still names the old one). -1 for a GMAC SA (the NIC's seal encrypts),
     * a slot held by another SPI, or no table.
     */
    @Override
    public int pspSlot(PspSa sa) {
        if (saBuffer < 0 || !sa.version().encrypts()) {
            return -1;
        }
        int slot = sa.spi() & (NicLayout.SA_SLOTS - 1);
        PspSa held = saInSlot[slot];
        if (held == sa) {
            return slot;
        }
        if (held != null && held.spi() != sa.spi()) {
            return -1;
        }
        if (held == null || !java.util.Arrays.equals(held.key(), sa.key())) {
            driver.installSa(slot, sa.key(), sa.version() == PspVersion.AES_GCM_256, sa.spi());
        }
        saInSlot[slot] = sa;
        if (!pspRxOn) {
            driver.enablePspRx(true);
            pspRxOn = true;
        }
        return slot;
    }

    /** Why {@code backend} cannot run the NIC here, or null when it can. */
    public static String unavailability(String backend) {
        HardwareBackend b;
        try {
            b = HardwareBackends.named(backend);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (!b.isAvailable()) {
            return b.unavailabilityCause();
        }
        return b.blocks().contains(NicModule.BLOCK) ? null
                : backend + " has no " + NicModule.BLOCK + " model (it has " + b.blocks() + ")";
    }

    /** The NIC on {@code backend} between a host (its pool) and the wire. */
    public static NicPort open(String backend, PhysicalPort wire, PacketPool pool) {
        String why = unavailability(backend);
        if (why != null) {
            throw new IllegalStateException("port=" + backend + ": " + why);
        }
        return new NicPort(HardwareBackends.named(backend).open(NicModule.BLOCK), wire, pool);
    }

    @Override
    public int transmit(HostBatch batch, PacketPool pool) {
        wireTook = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.dead[i]) {
                continue;
            }
            int buffer = batch.packets.buffer[i];
            long offset = batch.packets.offset[i];
            int length = batch.packets.length[i];
            int start = 0;
            int insert = 0;
            int flags = 0;
            int slot = 0;
            if (batch.nicCsum[i] >= 0) { // NEEDS_CSUM left to the NIC (checksum=nic): CHECKSUM_PARTIAL
                start = (int) (batch.nicCsum[i] - offset);
                insert = start + batch.csumOffset[i];
                flags = NicLayout.FLAG_CSUM_INSERT
                        | (batch.parsed[i].protocol() == 17 ? NicLayout.FLAG_CSUM_UDP : 0);
                checksumsInserted++;
            } else if (batch.nicPsp[i] >= 0) { // the seal left to the NIC (crypto=nic): it appends the ICV
                start = (int) (batch.nicPsp[i] - offset);
                flags = NicLayout.FLAG_PSP;
                slot = batch.nicPspSlot[i];
                length -= ICV_BYTES;
            }
            while (!driver.postTx(offset, length, start, insert, flags, slot, buffer)) {
                driver.ringTx();         // ring full: let the NIC drain it, nothing is dropped
                device.cycle();
                reapTx();
            }
            batch.consume(i);            // the NIC owns the buffer until its completion
        }
        if (interrupts) {
            driver.armCount(NicLayout.IRQ_TX, driver.txInFlight()); // lands before the doorbell
            driver.ringTx();
            awaitCompletions(NicLayout.IRQ_TX, () -> {
                reapTx();
                return driver.txInFlight();
            });
        } else {
            driver.ringTx();
            device.runUntil(() -> {
                reapTx();
                return driver.txInFlight() == 0;
            }, STEP_LIMIT);
        }
        flushToWire();
        return wireTook;
    }

    /**
     * Until {@code take} says nothing is left to wait for: acknowledge (run to its response),
     * take what completed, re-arm the count for what is left, sleep on the line. Never hangs:
     * the count armed is at most the completions still to come, and a raise the acknowledge
     * cleared came before the take that collected its completions.
     */
    private void awaitCompletions(int direction, java.util.function.IntSupplier take) {
        while (true) {
            driver.ackIrq(direction);
            int left = take.getAsInt();
            if (left <= 0) {
                return;
            }
            driver.armCount(direction, left);
            device.runUntil(driver::irq, STEP_LIMIT);
        }
    }

    private void reapTx() {
        int n = driver.pollTx(cookies, completions, cookies.length);
        for (int k = 0; k < n; k++) {
            if (NicLayout.cplStatus(completions[k]) != NicLayout.ST_OK) {
                errors++;
            } else if ((NicLayout.cplFlags(completions[k]) & NicLayout.CPL_PSP) != 0) {
                pspSealed++;
            }
            pool.free(cookies[k]);
        }
    }

    /** The NIC's frames out, copied into pool buffers for the wire (the wire copies them again). */
    private void frameOut(byte[] bytes, int length, boolean error) {
        if (error) {
            errors++;
            return;
        }
        if (toWire.size() == toWire.packets.capacity()) {
            flushToWire();
        }
        int buffer = pool.allocate();
        if (buffer < 0) {
            errors++;
            return;
        }
        long at = pool.frameOffset(buffer);
        MemorySegment.copy(bytes, 0, pool.memory(), ValueLayout.JAVA_BYTE, at, length);
        toWire.add(buffer, at, length, HostBatch.NO_CSUM, 0);
        framesOut++;
    }

    private void flushToWire() {
        if (toWire.size() > 0) {
            wireTook += wire.transmit(toWire, pool);
        }
        toWire.clear();
    }

    @Override
    public int receive(HostBatch into, PacketPool pool) {
        // Frames waiting on the wire go onto the NIC's wire in, from the pool buffers the wire put
        // them in (each freed once the NIC took its last beat); while the wire in is full, they
        // wait on the wire.
        WireIn in = device.wireInFromMemory();
        fromWire.clear();
        int n = in.room() >= fromWire.packets.capacity() ? wire.receive(fromWire, pool) : 0;
        for (int i = 0; i < n; i++) {
            if (in.offer(fromWire.packets.offset[i], fromWire.packets.length[i], fromWire.packets.buffer[i])) {
                rxInNic++;
            } else {                     // an empty frame: nothing to put on the wire
                pool.free(fromWire.packets.buffer[i]);
                errors++;
            }
        }
        // Buffers for them, one doorbell.
        while (driver.rxPosted() < driver.ringSize()) {
            int buffer = pool.allocate();
            if (buffer < 0) {
                break;
            }
            driver.postRx(pool.frameOffset(buffer), rxCapacity, buffer);
        }
        driver.ringRx();
        int room = Math.min(into.packets.capacity() - into.size(), cookies.length);
        int want = Math.min(rxInNic, Math.min(room, driver.rxPosted()));
        int before = into.size();
        if (want > 0 && interrupts) {
            int[] taken = {0};
            awaitCompletions(NicLayout.IRQ_RX, () -> {
                taken[0] += takeRx(into, room - taken[0]);
                return want - taken[0];
            });
        } else {
            if (want > 0) {
                device.runUntil(() -> driver.rxReady() >= want, STEP_LIMIT);
            }
            takeRx(into, room);
        }
        return into.size() - before;
    }

    /** Takes up to {@code max} RX completions into {@code into}; returns completions taken. */
    private int takeRx(HostBatch into, int max) {
        int got = driver.pollRx(cookies, completions, max);
        for (int k = 0; k < got; k++) {
            rxInNic--;
            long c = completions[k];
            int buffer = cookies[k];
            int status = NicLayout.cplStatus(c);
            long at = pool.frameOffset(buffer);
            if (status == NicLayout.ST_PSP_NO_SA || status == NicLayout.ST_PSP_BAD) {
                // Not the NIC's to open (no SA for it yet, or not a frame it parses): the buffer
                // holds the frame as received, and the host opens or refuses it in software.
                into.add(buffer, at, NicLayout.cplLen(c), HostBatch.NO_CSUM, 0);
                framesIn++;
                continue;
            }
            if (status != NicLayout.ST_OK) {
                errors++;
                pool.free(buffer);
                continue;
            }
            if ((NicLayout.cplFlags(c) & NicLayout.CPL_PSP) != 0) {
                takeOpened(into, buffer, at, c);
            } else {
                int len = NicLayout.cplLen(c);
                int i = into.add(buffer, at, len, HostBatch.NO_CSUM, 0);
                if ((NicLayout.cplFlags(c) & NicLayout.CPL_CSUM_VALID) != 0) {
                    // The NIC's checksum-complete, from RX_CSUM_START (its reset value) to the end.
                    into.rxCsum[i] = NicLayout.cplCsum(c);
                    into.rxCsumFrom[i] = at + RX_CSUM_START;
                    into.rxCsumTo[i] = at + len;
                }
            }
            framesIn++;
        }
        return got;
    }

    /**
     * A frame the NIC opened: it wrote the headers and the AAD as received and the plaintext
     * from the first 8-byte boundary after the AAD (the completion's csum field) to its len.
     * The headers move up to meet the plaintext -- at most 7 bytes, and only the ~70 bytes
     * of headers, not the payload -- so the frame is whole again, ICV slot included (its
     * bytes are not read: the NIC checked the tag).
     */
    private void takeOpened(HostBatch into, int buffer, long at, long c) {
        MemorySegment mem = pool.memory();
        int plainAt = NicLayout.cplCsum(c);
        int plainEnd = NicLayout.cplLen(c);
        int cryptOffset = mem.get(ValueLayout.JAVA_BYTE, at + RX_PSP_AT + 2) & 0x3F;
        int aadEnd = RX_PSP_AT + HEADER_BYTES + 4 * cryptOffset;
        int gap = plainAt - aadEnd;
        if (gap < 0 || gap > 7 || plainEnd < plainAt) {
            errors++; // not the layout the datasheet gives: refuse rather than guess
            pool.free(buffer);
            return;
        }
        MemorySegment.copy(mem, at, mem, at + gap, aadEnd);
        int i = into.add(buffer, at + gap, aadEnd + (plainEnd - plainAt) + ICV_BYTES, HostBatch.NO_CSUM, 0);
        into.nicOpened[i] = true;
        pspOpened++;
    }

    /** Frames the NIC sealed (PSP) on their way out, since the port opened. */
    public long pspSealed() {
        return pspSealed;
    }

    /** Frames the NIC opened (PSP, tag matched) on their way in, since the port opened. */
    public long pspOpened() {
        return pspOpened;
    }

    /** Error completions and frames flagged bad on the wire, since the port opened. */
    public long errors() {
        return errors;
    }

    public long framesOut() {
        return framesOut;
    }

    public long framesIn() {
        return framesIn;
    }

    /**
     * Pool buffers the port holds now: the rings', the PSP SA table's, the posted RX buffers',
     * TX frames in flight, frames from the wire the NIC has not taken whole yet.
     */
    public int buffersHeld() {
        return 1 + saBuffers + driver.rxPosted() + driver.txInFlight() + device.wireInFromMemory().pending();
    }

    /** The NIC's clock cycles simulated so far. */
    public long cycles() {
        return device.now();
    }

    /** The NIC inserts the checksums the host leaves it ({@code checksum=nic}). */
    @Override
    public boolean insertsChecksums() {
        return true;
    }

    /** TX descriptors posted with CSUM_INSERT so far. */
    public long checksumsInserted() {
        return checksumsInserted;
    }

    /** Completion-ring entries the driver read so far (see the class comment). */
    public long completionReads() {
        return driver.completionReads();
    }

    /** Interrupts the NIC raised so far (a register read: not for the hot path). */
    public long interruptsRaised() {
        return device.read(NicLayout.REG_INTERRUPTS);
    }

    /** Register writes to doorbells so far. */
    public long doorbells() {
        return driver.doorbells();
    }

    public NicDevice device() {
        return device;
    }
}
