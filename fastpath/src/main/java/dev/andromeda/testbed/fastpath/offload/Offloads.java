package dev.andromeda.testbed.fastpath.offload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds offload implementations by name. */
public final class Offloads {
    /** The implementation names in the order reports list them. */
    public static final List<String> IMPLEMENTATIONS = List.of("sw", "emu", "rtl-jni", "rtl-ffm");

    private Offloads() {
    }

    /** Every checksum provider on the class path, in {@link #IMPLEMENTATIONS} order. */
    public static List<ChecksumOffloadProvider> checksumProviders() {
        List<ChecksumOffloadProvider> found = new ArrayList<>();
        ServiceLoader.load(ChecksumOffloadProvider.class).forEach(found::add);
        found.sort(Comparator.comparingInt(p -> order(p.name())));
        return found;
    }

    /**
     * The checksum provider with this name.
     *
     * @throws IllegalArgumentException naming the implementations there are
     */
    public static ChecksumOffloadProvider checksumProvider(String name) {
        List<ChecksumOffloadProvider> all = checksumProviders();
        for (ChecksumOffloadProvider p : all) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no checksum implementation named '" + name + "'; there are: "
                + all.stream().map(ChecksumOffloadProvider::name).toList());
    }

    /**
     * Opens the named implementation.
     *
     * @throws IllegalStateException when it exists but cannot run here, with the cause
     */
    public static ChecksumOffload openChecksum(String name, OffloadOptions options) {
        ChecksumOffloadProvider p = checksumProvider(name);
        if (!p.isAvailable()) {
            throw new IllegalStateException("checksum implementation '" + name + "' is unavailable: "
                    + p.unavailabilityCause());
        }
        return p.open(options);
    }

    private static int order(String name) {
        int i = IMPLEMENTATIONS.indexOf(name);
        return i < 0 ? IMPLEMENTATIONS.size() : i;
    }
}
