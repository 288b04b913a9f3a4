package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.hw.blocks.nic.NicDevice;
import dev.andromeda.testbed.hw.blocks.nic.NicDriver;
import dev.andromeda.testbed.hw.blocks.nic.NicLayout;
import dev.andromeda.testbed.hw.blocks.nic.NicModule;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Crypto jobs through the emulated NIC's TX path, as {@code crypto=nic} sends them: each
 * packet is a 16-byte PSP header (crypt offset 0, the SPI, the job's IV) and the text, with a
 * TX descriptor naming the SA's slot and {@code FLAG_PSP}; one doorbell for the batch; the NIC
 * reads the SA and the packet by DMA, seals it in its {@code aes_gcm} on the way to the wire
 * and appends the tag. Each batch is also sent once without the flag -- the send the host's
 * NIC port makes anyway -- counted apart ({@link #sendOnly()}), so what the inline seal adds
 * to a send is measured. Every frame on the wire is checked against the JDK's {@code
 * AES/GCM/NoPadding} of the same header (the AAD, as PSP has it) and text. The look-aside
 * {@link CryptoWorkload} seals the text with no AAD: 16 bytes less to authenticate, one GHASH
 * block. CPU is the host's part -- descriptors, the doorbell, polling completions -- timed
 * apart from the simulation; hardware cycles run from the doorbell to the last completion.
 */
final class NicCryptoWorkload implements StageWorkload {
    private static final int LOG_RING = 6;
    private static final int HEADER = 16;
    private static final int TAG = 16;
    private static final int SLOT = 1;
    private static final int SPI = 0x0000_0101;

    private final Arena arena = Arena.ofConfined();
    private final long stride;
    private final MemorySegment memory;
    private final NicDevice device;
    private final NicDriver driver;
    private final OffloadCounters counters = new OffloadCounters();
    private final OffloadCounters sendOnly = new OffloadCounters();
    private final long[] offset;
    private final byte[][] expected;
    private final byte[][] wire;
    private final int[] status;
    private final int[] cookies;
    private final long[] completions;
    private final SecretKeySpec key;
    private final Cipher cipher;
    private int n;
    private int size;
    private boolean capturing;
    private int captured;

    NicCryptoWorkload(String backend, int maxSize, int capacity, long seed) {
        this.stride = Workloads.slot(HEADER + maxSize);
        long rings = NicDriver.ringBytes(LOG_RING);
        long table = (rings + 63) & ~63L;
        long frames = table + (long) NicLayout.SA_SLOTS * NicLayout.SA_BYTES;
        this.memory = arena.allocate(frames + capacity * stride, 64);
        this.device = new NicDevice(HardwareBackends.named(backend).open(NicModule.BLOCK), memory,
                new NicDevice.Timing(seed, 4, 4, 0, 0, 0, 0), this::frameOut);
        this.driver = new NicDriver(device, memory, 0, memory.byteSize(), 0, LOG_RING);
        byte[] k = new byte[16];
        new SplittableRandom(seed ^ 0x6B6579L).nextBytes(k);
        driver.useSaTable(table);
        driver.installSa(SLOT, k, false, SPI);
        this.key = new SecretKeySpec(k, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
        this.offset = new long[capacity];
        this.expected = new byte[capacity][];
        this.wire = new byte[capacity][];
        this.status = new int[capacity];
        this.cookies = new int[capacity];
        this.completions = new long[capacity];
        for (int j = 0; j < capacity; j++) {
            offset[j] = frames + j * stride;
        }
    }

    private void frameOut(byte[] bytes, int length, boolean error) {
        if (capturing && captured < n) {
            wire[captured++] = error ? null : Arrays.copyOf(bytes, length);
        }
    }

    @Override
    public void fill(int n, int size, SplittableRandom data, long firstJob) {
        this.n = n;
        this.size = size;
        for (int j = 0; j < n; j++) {
            long at = offset[j];
            // PSP header: next header UDP, hdr ext len 1, crypt offset 0, version 0 with the
            // always-one bit; SPI; the job's number as the IV (never repeated under the key).
            memory.set(ValueLayout.JAVA_INT_UNALIGNED, at, 0x0100_0111);
            memory.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), at + 4, SPI);
            memory.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), at + 8,
                    firstJob + j);
            Workloads.random(data, memory, null, at + HEADER, size);
            byte[] frame = memory.asSlice(at, HEADER + size).toArray(ValueLayout.JAVA_BYTE);
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, frame, 4, 12));
                cipher.updateAAD(frame, 0, HEADER);
                byte[] sealed = cipher.doFinal(frame, HEADER, size);
                expected[j] = new byte[HEADER + size + TAG];
                System.arraycopy(frame, 0, expected[j], 0, HEADER);
                System.arraycopy(sealed, 0, expected[j], HEADER, sealed.length);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK could not seal the reference: " + e, e);
            }
            status[j] = -1;
            wire[j] = null;
        }
    }

    @Override
    public void process() {
        send(false, sendOnly);
        send(true, counters);
    }

    /** The batch through the NIC, sealed on the way out (PSP) or sent as it is. */
    private void send(boolean seal, OffloadCounters into) {
        capturing = seal;
        captured = 0;
        long t0 = System.nanoTime();
        for (int j = 0; j < n; j++) {
            boolean ok = seal ? driver.postTx(offset[j], HEADER + size, 0, 0, NicLayout.FLAG_PSP, SLOT, j)
                    : driver.postTx(offset[j], HEADER + size, 0, 0, 0, j);
            if (!ok) {
                throw new IllegalStateException("TX ring full with " + n + " jobs in a batch");
            }
        }
        driver.ringTx();
        long cpu = System.nanoTime() - t0;
        long c0 = device.now();
        long s0 = System.nanoTime();
        device.runUntil(() -> driver.txReady() == n, 50_000_000);
        long sim = System.nanoTime() - s0;
        long cycles = device.now() - c0;
        long t1 = System.nanoTime();
        int taken = driver.pollTx(cookies, completions, n);
        for (int j = 0; j < taken; j++) {
            if (seal) {
                status[cookies[j]] = NicLayout.cplStatus(completions[j]);
            }
        }
        cpu += System.nanoTime() - t1;
        into.add(n, 0, (long) n * size, cpu, cycles, sim);
        capturing = false;
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
        if (wire[k] == null) {
            return "no frame on the wire";
        }
        int at = Arrays.mismatch(wire[k], expected[k]);
        if (at < 0) {
            return null;
        }
        return (at >= expected[k].length || at >= wire[k].length ? "length " + wire[k].length
                : at < HEADER ? "header byte " + at : at < HEADER + size ? "ciphertext byte " + (at - HEADER)
                : "tag byte " + (at - HEADER - size)) + " differs from the JDK's AES/GCM/NoPadding";
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
