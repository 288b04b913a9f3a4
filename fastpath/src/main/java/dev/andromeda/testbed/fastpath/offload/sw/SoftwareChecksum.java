package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The {@code sw} checksum stage: RFC 1071 on the calling thread. */
public final class SoftwareChecksum extends SoftwareStage<ChecksumBatch> implements ChecksumOffload {

    @Override
    public void process(ChecksumBatch batch) {
        runBatch(batch);
    }

    @Override
    protected long runOne(ChecksumBatch batch, int i, MemorySegment memory) {
        long base = batch.bufferOffset(i);
        int length = batch.length(i);
        int start = batch.csumStart(i);
        int csum = InternetChecksum.checksum(memory, base + start, length - start, batch.seed(i));
        if (csum == 0 && batch.udp(i)) {
            csum = 0xFFFF; // RFC 768: a transmitted 0 would mean "no checksum"
        }
        if (batch.insert(i)) {
            long at = base + batch.csumOffset(i);
            memory.set(ValueLayout.JAVA_BYTE, at, (byte) (csum >>> 8));
            memory.set(ValueLayout.JAVA_BYTE, at + 1, (byte) csum);
        }
        batch.complete(i, csum, 0);
        return length;
    }
}
