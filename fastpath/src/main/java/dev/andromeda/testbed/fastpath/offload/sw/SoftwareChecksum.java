package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.DescriptorRing;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The {@code sw} checksum stage: RFC 1071 on the calling thread. */
public final class SoftwareChecksum implements ChecksumOffload {
    private final OffloadCounters counters = new OffloadCounters();

    @Override
    public String name() {
        return "sw";
    }

    @Override
    public void process(ChecksumBatch batch) {
        long t0 = System.nanoTime();
        MemorySegment memory = batch.hostMemory();
        long bytes = 0;
        int jobs = 0;
        int rejected = 0;
        for (int i = 0; i < batch.size(); i++) {
            int admission = batch.admit(i);
            if (admission != DescriptorRing.ADMIT_RUN) {
                rejected += admission == DescriptorRing.ADMIT_REJECTED ? 1 : 0;
                continue;
            }
            long base = batch.bufferOffset(i);
            int length = batch.length(i);
            int start = batch.csumStart(i);
            int csum = InternetChecksum.checksum(memory, base + start, length - start, batch.seed(i));
            if (batch.insert(i)) {
                long at = base + batch.csumOffset(i);
                memory.set(ValueLayout.JAVA_BYTE, at, (byte) (csum >>> 8));
                memory.set(ValueLayout.JAVA_BYTE, at + 1, (byte) csum);
            }
            batch.complete(i, csum, 0);
            bytes += length;
            jobs++;
        }
        counters.add(jobs, rejected, bytes, System.nanoTime() - t0, 0, 0);
    }

    @Override
    public OffloadCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
