package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@code sw} checksum stage: RFC 1071 on the calling thread. A host's stages call
 * {@link #compute} straight from their batch when the work stays in software (no descriptor to
 * write and read back, issue 11) and book it with {@link #book}; descriptors come through
 * {@link #process}. Both do the same job and refuse the same ones.
 */
public final class SoftwareChecksum extends SoftwareStage<ChecksumBatch> implements ChecksumOffload {

    /**
     * One checksum job on the packet where it lies, without a descriptor: what a descriptor with
     * these fields gets from {@link #process} -- the checksum from {@code csumStart} to the end,
     * {@code seed} added, a UDP 0 sent as 0xFFFF, written big-endian at {@code csumOffset} unless
     * that is negative -- refusing what {@link ChecksumBatch#validate} refuses.
     *
     * @return the checksum, or -1 when the job is refused (nothing written)
     */
    public static int compute(MemorySegment memory, long base, int length, int csumStart, int csumOffset, int seed,
                              boolean udp) {
        if (length < 0 || length > ChecksumBatch.MAX_LENGTH || base < 0 || base + length > memory.byteSize()
                || csumStart > length || (csumOffset >= 0 && csumOffset + 2 > length)) {
            return -1;
        }
        int csum = InternetChecksum.checksum(memory, base + csumStart, length - csumStart, seed);
        if (csum == 0 && udp) {
            csum = 0xFFFF; // RFC 768: a transmitted 0 would mean "no checksum"
        }
        if (csumOffset >= 0) {
            memory.set(ValueLayout.JAVA_BYTE, base + csumOffset, (byte) (csum >>> 8));
            memory.set(ValueLayout.JAVA_BYTE, base + csumOffset + 1, (byte) csum);
        }
        return csum;
    }

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
