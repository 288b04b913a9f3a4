package dev.andromeda.testbed.fastpath.offload.sw;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.NoSuchElementException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * OpenSSL's libcrypto (the EVP AES-GCM calls {@link OpensslGcmEngine} needs) through Panama
 * FFM, found at run time: the one class that holds the natives, probed once, the cause kept
 * when it cannot be loaded (as Netty's {@code Epoll.isAvailable()} / {@code unavailabilityCause()}).
 *
 * <p>Every pointer argument of the hot calls is declared {@code JAVA_LONG}, a raw address: on
 * the SysV x86-64 and AAPCS64 ABIs a pointer and a 64-bit integer travel in the same register,
 * and a raw address lets the engine point OpenSSL straight into the packet and the descriptor
 * (IV, key) without making a slice {@link MemorySegment} per argument per packet. The caller
 * checks bounds (the batch's {@code validate}) and liveness. The hot calls are
 * {@link Linker.Option#critical critical}: short, no upcalls, no heap access, so no thread-state
 * transition per call.
 */
record Libcrypto(String library, String version, MethodHandle ctxNew, MethodHandle ctxFree, long aes128Gcm,
                 long aes256Gcm, MethodHandle cipherInit, MethodHandle cipherUpdate, MethodHandle cipherFinal,
                 MethodHandle ctrl, MethodHandle errClear) {
    // A record, and held in a static final: HotSpot trusts a record's fields as constants, so each
    // invokeExact on these handles is inlined as a direct call (an instance field would not be).
    //   cipherInit   int EVP_CipherInit_ex(ctx, cipher, engine, key, iv, int enc)
    //   cipherUpdate int EVP_CipherUpdate(ctx, out, int *outl, in, int inl)  (out NULL: AAD)
    //   cipherFinal  int EVP_CipherFinal_ex(ctx, out, int *outl)  (decrypt: 1 only when the tag verifies)
    //   ctrl         int EVP_CIPHER_CTX_ctrl(ctx, int type, int arg, ptr)
    //   errClear     void ERR_clear_error(void)  (a refused call leaves its reason on the thread's queue)

    /** Debian's libssl3 ships {@code libcrypto.so.3}; a bare {@code libcrypto.so} comes with -dev packages. */
    static final List<String> LIBRARY_NAMES = List.of("libcrypto.so.3", "libcrypto.so");

    static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    static final int EVP_CTRL_GCM_SET_TAG = 0x11;

    private static final Probe PROBE = probe(LIBRARY_NAMES);

    /** What loading gave: the library, or why not. */
    record Probe(Libcrypto library, String unavailabilityCause) {
    }

    private static Libcrypto load(String library, SymbolLookup lookup) throws Throwable {
        Linker linker = Linker.nativeLinker();
        Linker.Option critical = Linker.Option.critical(false);
        MethodHandle versionOf = linker.downcallHandle(find(lookup, "OpenSSL_version"),
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
        MemorySegment text = (MemorySegment) versionOf.invokeExact(0); // OPENSSL_VERSION
        String version = text.reinterpret(256).getString(0);
        MethodHandle gcm128 = linker.downcallHandle(find(lookup, "EVP_aes_128_gcm"), FunctionDescriptor.of(JAVA_LONG));
        MethodHandle gcm256 = linker.downcallHandle(find(lookup, "EVP_aes_256_gcm"), FunctionDescriptor.of(JAVA_LONG));
        long aes128 = (long) gcm128.invokeExact();
        long aes256 = (long) gcm256.invokeExact();
        if (aes128 == 0 || aes256 == 0) {
            throw new IllegalStateException("no AES-GCM cipher (EVP_aes_128_gcm returned NULL)");
        }
        return new Libcrypto(library, version,
                linker.downcallHandle(find(lookup, "EVP_CIPHER_CTX_new"), FunctionDescriptor.of(JAVA_LONG)),
                linker.downcallHandle(find(lookup, "EVP_CIPHER_CTX_free"), FunctionDescriptor.ofVoid(JAVA_LONG)),
                aes128, aes256,
                linker.downcallHandle(find(lookup, "EVP_CipherInit_ex"),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT),
                        critical),
                linker.downcallHandle(find(lookup, "EVP_CipherUpdate"),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT), critical),
                linker.downcallHandle(find(lookup, "EVP_CipherFinal_ex"),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG), critical),
                linker.downcallHandle(find(lookup, "EVP_CIPHER_CTX_ctrl"),
                        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG), critical),
                linker.downcallHandle(find(lookup, "ERR_clear_error"), FunctionDescriptor.ofVoid(), critical));
    }

    private static MemorySegment find(SymbolLookup lookup, String symbol) {
        return lookup.find(symbol).orElseThrow(() -> new NoSuchElementException("no symbol " + symbol));
    }

    /** The library loaded at start-up, or null (then {@link #unavailabilityCause()} says why). */
    static Libcrypto get() {
        return PROBE.library();
    }

    static String unavailabilityCause() {
        return PROBE.unavailabilityCause();
    }

    /**
     * Loads the first of {@code names} that opens and has every symbol; otherwise the causes, one per
     * name. Never throws: a missing library is a fact of the machine, not an error.
     */
    static Probe probe(List<String> names) {
        StringBuilder causes = new StringBuilder();
        for (String name : names) {
            try {
                // The global arena: the library stays mapped for the JVM's life, as the handles do.
                SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
                return new Probe(load(name, lookup), null);
            } catch (Throwable t) {
                causes.append(causes.isEmpty() ? "" : "; ").append(name).append(": ")
                        .append(t.getMessage() != null ? t.getMessage() : t.toString());
            }
        }
        return new Probe(null, causes.isEmpty() ? "no library names to try" : causes.toString());
    }
}
