package dev.andromeda.testbed.fastpath.offload;

/**
 * The checksum stage: completes every descriptor of a batch -- computes the
 * RFC 1071 checksum of packet[csumStart..] plus the seed, writes it at
 * csumOffset when INSERT is set, and writes the completion fields.
 *
 * <p>All implementations ({@code sw}, {@code emu}, {@code rtl-jni},
 * {@code rtl-ffm}) produce identical bytes; they differ in cost, which
 * {@link #counters()} reports. An instance is confined to one thread.
 */
public interface ChecksumOffload extends OffloadStage {

    /**
     * Completes every pending descriptor. Invalid descriptors (see
     * {@link ChecksumBatch#validate(int)}) are marked rejected and counted;
     * the others are still processed.
     */
    void process(ChecksumBatch batch);
}
