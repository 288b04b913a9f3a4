package dev.andromeda.testbed.coprocessor.crypto;

import dev.andromeda.testbed.coprocessor.CoprocessorPool;
import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.VmConfig;
import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.Verdict;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.ring.WorkKind;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CryptoWorkTest {
    private static final byte[] KEY = new byte[16];
    private static final byte[] AAD = "psp-header".getBytes();

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (i * 7 + 1);
        }
    }

    private static byte[] iv(int n) {
        byte[] iv = new byte[12];
        iv[11] = (byte) n;
        return iv;
    }

    private static byte[] plaintext(int n) {
        byte[] p = new byte[100 + n];
        Arrays.fill(p, (byte) n);
        return p;
    }

    /** Seals n packets' worth into a batch over host memory: AAD at 0, texts and tags after. */
    private static CryptoBatch sealBatch(MemorySegment host, int n) {
        CryptoBatch batch = new CryptoBatch(n, host);
        MemorySegment.copy(AAD, 0, host, ValueLayout.JAVA_BYTE, 0, AAD.length);
        for (int i = 0; i < n; i++) {
            long text = 1024L * (i + 1);
            byte[] p = plaintext(i);
            MemorySegment.copy(p, 0, host, ValueLayout.JAVA_BYTE, text, p.length);
            batch.add(CryptoBatch.OP_SEAL, KEY, iv(i), 0, AAD.length, text, p.length, text + 512);
        }
        return batch;
    }

    private static byte[] jdkSeal(int i) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, iv(i)));
        c.updateAAD(AAD);
        return c.doFinal(plaintext(i));
    }

    @Test
    void sealsABatchOffTheFastPathAndReturnsItCompleted() throws Exception {
        try (Arena arena = Arena.ofShared();
             var pool = new CoprocessorPool(PoolConfig.defaults().withWorkers(1), List.of(VmConfig.defaults(0)))) {
            MemorySegment host = arena.allocate(8192);
            CryptoBatch batch = sealBatch(host, 4);
            WorkRing ring = pool.vm(0).egress();
            ring.commit(ring.claim().packet(WorkKind.CRYPTO, 0, 0, 4 * 100).batch(batch));

            pool.worker(0).doWork(); // a worker driven by hand runs on this thread, where the batch lives

            List<WorkItem> results = new ArrayList<>();
            List<CryptoBatch> batches = new ArrayList<>();
            ring.drainResults(item -> {
                results.add(item);
                batches.add(item.batch());
            }, 10);
            assertThat(results).singleElement().satisfies(i -> assertThat(i.verdict()).isEqualTo(Verdict.PASS));
            assertThat(batches).containsExactly(batch);
            for (int i = 0; i < 4; i++) {
                assertThat(batch.status(i)).isEqualTo(CryptoBatch.STATUS_DONE);
                byte[] expected = jdkSeal(i);
                int n = batch.textLength(i);
                assertThat(batch.text(i)).isEqualTo(Arrays.copyOf(expected, n));
                assertThat(batch.tag(i)).isEqualTo(Arrays.copyOfRange(expected, n, n + 16));
            }
            assertThat(pool.worker(0).openedCryptoStage().counters().jobs()).isEqualTo(4);
            batch.close();
        }
    }

    @Test
    void sealsASharedBatchOnAWorkerThreadAndHandsItBack() throws Exception {
        try (Arena arena = Arena.ofShared();
             var pool = new CoprocessorPool(PoolConfig.defaults().withWorkers(1), List.of(VmConfig.defaults(0)))) {
            MemorySegment host = arena.allocate(8192);
            CryptoBatch batch = CryptoBatch.shared(3, host);
            MemorySegment.copy(AAD, 0, host, ValueLayout.JAVA_BYTE, 0, AAD.length);
            for (int i = 0; i < 3; i++) {
                long text = 1024L * (i + 1);
                byte[] p = plaintext(i);
                MemorySegment.copy(p, 0, host, ValueLayout.JAVA_BYTE, text, p.length);
                batch.add(CryptoBatch.OP_SEAL, KEY, iv(i), 0, AAD.length, text, p.length, text + 512);
            }
            pool.start();
            WorkRing ring = pool.vm(0).egress();
            ring.commit(ring.claim().packet(WorkKind.CRYPTO, 0, 0, 300).batch(batch));
            List<WorkItem> results = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (results.isEmpty() && System.nanoTime() < deadline) {
                ring.drainResults(results::add, 10);
                Thread.onSpinWait();
            }
            assertThat(results).singleElement().satisfies(i -> assertThat(i.verdict()).isEqualTo(Verdict.PASS));
            for (int i = 0; i < 3; i++) {
                byte[] expected = jdkSeal(i);
                int n = batch.textLength(i);
                assertThat(batch.status(i)).isEqualTo(CryptoBatch.STATUS_DONE);
                assertThat(batch.text(i)).isEqualTo(Arrays.copyOf(expected, n));
                assertThat(batch.tag(i)).isEqualTo(Arrays.copyOfRange(expected, n, n + 16));
            }
            assertThat(pool.workerErrors()).isZero();
            batch.close();
        }
    }

    @Test
    void refusesABatchConfinedToTheFastPathThreadWithoutStoppingTheWorker() throws Exception {
        try (Arena arena = Arena.ofShared();
             var pool = new CoprocessorPool(PoolConfig.defaults().withWorkers(1)
                     .withFlowResolver((vm, vni, s, d, sp, dp, p) -> 77), List.of(VmConfig.defaults(0)))) {
            CryptoBatch batch = sealBatch(arena.allocate(8192), 1); // its descriptor ring is confined to this thread
            pool.start();
            WorkRing ring = pool.vm(0).egress();
            ring.commit(ring.claim().packet(WorkKind.CRYPTO, 0, 0, 100).batch(batch));
            ring.commit(ring.claim().packet(WorkKind.FLOW_MISS, 1, 0, 60));

            List<String> outcomes = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (outcomes.size() < 2 && System.nanoTime() < deadline) {
                ring.drainResults(item -> outcomes.add(item.kind() + " " + item.verdict()
                        + (item.dropReason() != null ? " " + item.dropReason() : " " + item.action())), 10);
                Thread.onSpinWait();
            }
            assertThat(outcomes).containsExactly("CRYPTO DROP CRYPTO_BATCH_NOT_SHARED", "FLOW_MISS PASS 77");
            assertThat(pool.vm(0).counters().drops(DropReason.CRYPTO_BATCH_NOT_SHARED)).isEqualTo(1);
            assertThat(pool.workerErrors()).isZero();
            assertThat(batch.status(0)).isEqualTo(CryptoBatch.STATUS_PENDING);
            batch.close();
        }
    }

    @Test
    void countsAStageThatThrowsAndGoesOn() {
        CryptoOffload broken = new CryptoOffload() {
            @Override
            public void process(CryptoBatch batch) {
                throw new IllegalStateException("model fell over");
            }

            @Override
            public String name() {
                return "broken";
            }

            @Override
            public OffloadCounters counters() {
                return new OffloadCounters();
            }

            @Override
            public void close() {
            }
        };
        try (Arena arena = Arena.ofConfined()) {
            CryptoBatch batch = sealBatch(arena.allocate(8192), 1);
            var ring = new WorkRing(0, dev.andromeda.testbed.coprocessor.ring.Direction.EGRESS, 4);
            WorkItem item = ring.claim().packet(WorkKind.CRYPTO, 0, 0, 100).batch(batch);
            CryptoWork.handle(item, broken);
            assertThat(item.dropReason()).isEqualTo(DropReason.CRYPTO_STAGE_FAILED);
            WorkItem empty = ring.claim().packet(WorkKind.CRYPTO, 0, 0, 0);
            CryptoWork.handle(empty, broken);
            assertThat(empty.dropReason()).isEqualTo(DropReason.CRYPTO_STAGE_FAILED);
            batch.close();
        }
    }
}
