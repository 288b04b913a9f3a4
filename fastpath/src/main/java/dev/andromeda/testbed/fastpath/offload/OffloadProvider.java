package dev.andromeda.testbed.fastpath.offload;

/**
 * What every stage's service-provider interface has: a name, an availability
 * probe with its cause, and a way to open an instance. Each stage kind extends
 * it with its own type ({@link ChecksumOffloadProvider},
 * {@link CopyOffloadProvider}, {@link CryptoOffloadProvider}) so
 * {@link java.util.ServiceLoader} can find them apart.
 *
 * @param <S> the stage interface
 */
public interface OffloadProvider<S extends OffloadStage> {

    /** {@code sw}, {@code emu}, {@code rtl-jni} or {@code rtl-ffm}. */
    String name();

    /** Whether {@link #open} can succeed here (an RTL model may not be built or loadable). */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, or null. */
    String unavailabilityCause();

    /**
     * What this implementation runs on here, for {@code tb impls} (the {@code sw} crypto stage:
     * its engine and why), or null when there is nothing to add.
     */
    default String detail() {
        return null;
    }

    /** A new instance, confined to the calling thread. */
    S open(OffloadOptions options);
}
