package dev.andromeda.testbed.fastpath.offload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds offload implementations by stage and name. */
public final class Offloads {
    /** The implementation names in the order reports list them. */
    public static final List<String> IMPLEMENTATIONS = List.of("sw", "emu", "rtl-jni", "rtl-ffm");

    private Offloads() {
    }

    /** Every provider of a stage on the class path, in {@link #IMPLEMENTATIONS} order. */
    public static <P extends OffloadProvider<?>> List<P> providers(Class<P> type) {
        List<P> found = new ArrayList<>();
        ServiceLoader.load(type).forEach(found::add);
        found.sort(Comparator.comparingInt(p -> order(p.name())));
        return found;
    }

    /**
     * The provider of a stage with this name.
     *
     * @throws IllegalArgumentException naming the implementations there are
     */
    public static <P extends OffloadProvider<?>> P provider(Class<P> type, String name) {
        List<P> all = providers(type);
        for (P p : all) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no " + stageLabel(type) + " implementation named '" + name
                + "'; there are: " + all.stream().map(OffloadProvider::name).toList());
    }

    /**
     * Opens the named implementation of a stage.
     *
     * @throws IllegalStateException when it exists but cannot run here, with the cause
     */
    public static <S extends OffloadStage, P extends OffloadProvider<S>> S open(Class<P> type, String name,
                                                                                 OffloadOptions options) {
        P p = provider(type, name);
        if (!p.isAvailable()) {
            throw new IllegalStateException(stageLabel(type) + " implementation '" + name + "' is unavailable: "
                    + p.unavailabilityCause());
        }
        return p.open(options);
    }

    public static List<ChecksumOffloadProvider> checksumProviders() {
        return providers(ChecksumOffloadProvider.class);
    }

    public static ChecksumOffloadProvider checksumProvider(String name) {
        return provider(ChecksumOffloadProvider.class, name);
    }

    public static ChecksumOffload openChecksum(String name, OffloadOptions options) {
        return open(ChecksumOffloadProvider.class, name, options);
    }

    private static String stageLabel(Class<?> type) {
        for (Stage s : Stage.values()) {
            if (s.providerType() == type) {
                return s.label();
            }
        }
        return type.getSimpleName();
    }

    private static int order(String name) {
        int i = IMPLEMENTATIONS.indexOf(name);
        return i < 0 ? IMPLEMENTATIONS.size() : i;
    }
}
