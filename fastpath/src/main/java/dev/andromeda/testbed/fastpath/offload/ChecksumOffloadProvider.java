package dev.andromeda.testbed.fastpath.offload;

/**
 * Service-provider interface: one per checksum implementation, found with
 * {@link java.util.ServiceLoader} so the fast path never links to hardware code.
 */
public interface ChecksumOffloadProvider {

    /** {@code sw}, {@code emu}, {@code rtl-jni} or {@code rtl-ffm}. */
    String name();

    /** Whether {@link #open} can succeed here (an RTL model may not be built or loadable). */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, or null. */
    String unavailabilityCause();

    /** A new instance, confined to the calling thread. */
    ChecksumOffload open(OffloadOptions options);
}
