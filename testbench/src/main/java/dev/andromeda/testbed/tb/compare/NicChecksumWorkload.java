package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.hw.blocks.nic.NicDevice;
import dev.andromeda.testbed.hw.blocks.nic.NicDriver;
import dev.andromeda.testbed.hw.blocks.nic.NicLayout;
import dev.andromeda.testbed.hw.blocks.nic.NicModule;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Checksum jobs through the emulated NIC's TX path: each packet gets a TX descriptor in the
 * ring (in the same memory as the packet) with CSUM_INSERT, as {@code checksum=nic} posts
 * it, one doorbell for the batch, the NIC reads the packet by DMA and sums it in its
 * {@code csum_offload} on the way to the wire, inserting the sum, and the checksum comes
 * back in the completion, polled. Each batch is also sent once without the flag -- the
 * send the host's NIC port makes anyway -- counted apart ({@link #sendOnly()}), so what the
 * inline checksum adds to a send is measured, not assumed. Seed 0 (the NIC's descriptor has no seed
 * field); checked against {@link ChecksumWorkload#rfc1071}. CPU is the host's part --
 * writing descriptors, the doorbell write, polling completions -- timed apart from the
 * simulation, whose wall time is reported as such; hardware cycles run from the doorbell to
 * the batch's last completion.
 */
final class NicChecksumWorkload implements StageWorkload {
    private static final int LOG_RING = 6;

    private final Arena arena = Arena.ofConfined();
    private final long stride;
    private final MemorySegment memory;
    private final NicDevice device;
    private final NicDriver driver;
    private final OffloadCounters counters = new OffloadCounters();
    private final OffloadCounters sendOnly = new OffloadCounters();
    private final long[] offset;
    private final int[] length;
    private final int[] expected;
    private final int[] got;
    private final int[] status;
    private final int[] cookies;
    private final long[] completions;
    private int n;

    NicChecksumWorkload(String backend, int maxSize, int capacity, long seed) {
        this.stride = Workloads.slot(maxSize);
        long rings = NicDriver.ringBytes(LOG_RING);
        this.memory = arena.allocate(rings + capacity * stride, 64);
        this.device = new NicDevice(HardwareBackends.named(backend).open(NicModule.BLOCK), memory,
                new NicDevice.Timing(seed, 4, 4, 0, 0, 0, 0), (bytes, len, error) -> { });
        this.driver = new NicDriver(device, memory, 0, memory.byteSize(), 0, LOG_RING);
        this.offset = new long[capacity];
        this.length = new int[capacity];
        this.expected = new int[capacity];
        this.got = new int[capacity];
        this.status = new int[capacity];
        this.cookies = new int[capacity];
        this.completions = new long[capacity];
        for (int k = 0; k < capacity; k++) {
            offset[k] = rings + k * stride;
        }
    }

    @Override
    public void fill(int n, int size, SplittableRandom data, long firstJob) {
        this.n = n;
        for (int k = 0; k < n; k++) {
            Workloads.random(data, memory, null, offset[k], size);
            length[k] = size;
            expected[k] = ChecksumWorkload.rfc1071(memory, offset[k], size, 0);
            status[k] = -1;
        }
    }

    @Override
    public void process() {
        send(false, sendOnly);
        send(true, counters);
    }

    /** The batch through the NIC, with CSUM_INSERT (at byte 0; the sum covers the whole packet) or not. */
    private void send(boolean insert, OffloadCounters into) {
        long t0 = System.nanoTime();
        for (int k = 0; k < n; k++) {
            int flags = insert && length[k] >= 2 ? NicLayout.FLAG_CSUM_INSERT : 0;
            if (!driver.postTx(offset[k], length[k], 0, 0, flags, k)) {
                throw new IllegalStateException("TX ring full with " + n + " jobs in a batch");
            }
        }
        driver.ringTx();
        long cpu = System.nanoTime() - t0;
        long c0 = device.now();
        long s0 = System.nanoTime();
        device.runUntil(() -> driver.txReady() == n, 10_000_000);
        long sim = System.nanoTime() - s0;
        long cycles = device.now() - c0;
        long t1 = System.nanoTime();
        int taken = driver.pollTx(cookies, completions, n);
        for (int k = 0; k < taken; k++) {
            status[cookies[k]] = NicLayout.cplStatus(completions[k]);
            got[cookies[k]] = NicLayout.cplCsum(completions[k]);
        }
        cpu += System.nanoTime() - t1;
        long bytes = 0;
        for (int k = 0; k < n; k++) {
            bytes += length[k];
        }
        into.add(n, 0, bytes, cpu, cycles, sim);
    }

    @Override
    public OffloadCounters sendOnly() {
        return sendOnly;
    }

    @Override
    public String check(int k) {
        if (status[k] != NicLayout.ST_OK) {
            return "completion status " + (status[k] < 0 ? "missing" : NicLayout.statusName(status[k]));
        }
        if (got[k] != expected[k]) {
            return String.format(Locale.ROOT, "checksum 0x%04x, RFC 1071 says 0x%04x", got[k], expected[k]);
        }
        return null;
    }

    @Override
    public OffloadCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        try (arena; device) {
            // the device's model first, then the memory
        }
    }
}
