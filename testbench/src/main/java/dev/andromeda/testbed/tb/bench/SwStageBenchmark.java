package dev.andromeda.testbed.tb.bench;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareChecksum;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per packet of the {@code sw} stages on one core: the crypto stage's AES-GCM-128
 * seal as PSP sends (one SA, a fresh IV per packet, 16 bytes of AAD, the tag after the text) on
 * each engine, and the RFC 1071 checksum. Each invocation refills a batch of 32 (IVs counted up,
 * so none repeats) and runs it; the refill is part of the time, as it is of a host's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SwStageBenchmark {
    public static final int BATCH = 32;

    @Param({"openssl", "jdk"})
    public String engine;

    @Param({"64", "1500", "9000"})
    public int size;

    private Arena arena;
    private MemorySegment memory;
    private CryptoBatch crypto;
    private ChecksumBatch checksum;
    private SoftwareGcm gcm;
    private SoftwareChecksum csum;
    private final byte[] key = new byte[16];
    private final byte[] iv = new byte[12];
    private long stride;
    private long packet;

    @Setup(Level.Trial)
    public void open() {
        SplittableRandom r = new SplittableRandom(64);
        r.nextBytes(key);
        stride = size + 16 + CryptoBatch.TAG_BYTES + 64;
        arena = Arena.ofConfined();
        memory = arena.allocate(BATCH * stride, 64);
        byte[] data = new byte[(int) (BATCH * stride)];
        r.nextBytes(data);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, memory, 0, data.length);
        crypto = new CryptoBatch(BATCH, memory);
        checksum = new ChecksumBatch(BATCH, memory);
        gcm = new SoftwareGcm(engine);
        csum = new SoftwareChecksum();
    }

    @TearDown(Level.Trial)
    public void close() {
        gcm.close();
        crypto.close();
        checksum.close();
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int seal() {
        crypto.clear();
        for (int k = 0; k < BATCH; k++) {
            long p = ++packet;
            iv[4] = (byte) (p >>> 56);
            iv[5] = (byte) (p >>> 48);
            iv[6] = (byte) (p >>> 40);
            iv[7] = (byte) (p >>> 32);
            iv[8] = (byte) (p >>> 24);
            iv[9] = (byte) (p >>> 16);
            iv[10] = (byte) (p >>> 8);
            iv[11] = (byte) p;
            long at = k * stride;
            crypto.add(CryptoBatch.OP_SEAL, key, iv, at, 16, at + 16, size, at + 16 + size);
        }
        gcm.process(crypto);
        return crypto.status(BATCH - 1);
    }

    /** The engine does not matter here: the checksum has one software implementation. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int checksum() {
        checksum.clear();
        for (int k = 0; k < BATCH; k++) {
            checksum.add(k * stride, size, 0, -1, k);
        }
        csum.process(checksum);
        return checksum.csum(BATCH - 1);
    }
}
