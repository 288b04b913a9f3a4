package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code sw} crypto stage: AES-GCM on the calling thread by the strongest engine here --
 * OpenSSL's libcrypto through Panama FFM ({@link OpensslGcmEngine}) when it loads, else the
 * JDK's {@code AES/GCM/NoPadding} ({@link JdkGcmEngine}), the cause printed once. The software
 * baseline every offload decision is judged against, so it is the fastest software there is.
 * The system property {@value #ENGINE_PROPERTY} ({@code openssl} or {@code jdk}) names one
 * instead, e.g. to measure the JDK's.
 */
public final class SoftwareGcm extends SoftwareStage<CryptoBatch> implements CryptoOffload {
    public static final String ENGINE_OPENSSL = "openssl";
    public static final String ENGINE_JDK = "jdk";
    public static final List<String> ENGINES = List.of(ENGINE_OPENSSL, ENGINE_JDK);
    public static final String ENGINE_PROPERTY = "tb.sw.crypto";

    private static final AtomicBoolean FALLBACK_TOLD = new AtomicBoolean();

    private final GcmEngine engine;

    /** With the strongest engine here (or the one {@value #ENGINE_PROPERTY} names). */
    public SoftwareGcm() {
        this(chosenEngine());
    }

    /**
     * With the named engine.
     *
     * @throws IllegalArgumentException for a name not in {@link #ENGINES}
     * @throws IllegalStateException    for {@code openssl} when libcrypto did not load, with the cause
     */
    public SoftwareGcm(String engine) {
        this.engine = switch (engine) {
            case ENGINE_OPENSSL -> new OpensslGcmEngine();
            case ENGINE_JDK -> new JdkGcmEngine();
            default -> throw new IllegalArgumentException(
                    "no sw crypto engine '" + engine + "'; there are: " + String.join(", ", ENGINES));
        };
    }

    /** The engine this stage runs: {@code openssl} or {@code jdk}. */
    public String engine() {
        return engine.name();
    }

    /** Why {@code openssl} is not usable here, or null when libcrypto loaded. */
    public static String opensslUnavailabilityCause() {
        return Libcrypto.get() != null ? null : Libcrypto.unavailabilityCause();
    }

    /** The loaded libcrypto's file and version ("libcrypto.so.3, OpenSSL 3.0.x ..."), or null. */
    public static String opensslLibrary() {
        Libcrypto lib = Libcrypto.get();
        return lib == null ? null : lib.library() + ", " + lib.version();
    }

    /**
     * The engine a new stage gets: {@value #ENGINE_PROPERTY} when set, else {@code openssl} when
     * libcrypto loaded, else {@code jdk} -- the first time saying why on standard error.
     *
     * @throws IllegalArgumentException when the property names no engine
     */
    public static String chosenEngine() {
        String forced = System.getProperty(ENGINE_PROPERTY);
        if (forced != null && !forced.isEmpty()) {
            if (!ENGINES.contains(forced)) {
                throw new IllegalArgumentException("-D" + ENGINE_PROPERTY + "=" + forced
                        + ": no such sw crypto engine; there are: " + String.join(", ", ENGINES));
            }
            return forced;
        }
        return strongest(opensslUnavailabilityCause(), FALLBACK_TOLD);
    }

    /** openssl when its cause is null; else jdk, printing the cause when {@code told} was not yet set. */
    static String strongest(String opensslCause, AtomicBoolean told) {
        if (opensslCause == null) {
            return ENGINE_OPENSSL;
        }
        if (told.compareAndSet(false, true)) {
            System.err.println("sw crypto: libcrypto not loaded (" + opensslCause
                    + "); the JDK's AES/GCM engine is used instead");
        }
        return ENGINE_JDK;
    }

    @Override
    public void process(CryptoBatch batch) {
        runBatch(batch);
    }

    @Override
    protected long runOne(CryptoBatch batch, int i, MemorySegment memory) {
        return engine.run(batch, i, memory);
    }

    @Override
    public void close() {
        engine.close();
    }
}
