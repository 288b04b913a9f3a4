package dev.andromeda.testbed.hw;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds hardware backends by name. */
public final class HardwareBackends {
    private HardwareBackends() {
    }

    public static List<HardwareBackend> all() {
        List<HardwareBackend> found = new ArrayList<>();
        ServiceLoader.load(HardwareBackend.class).forEach(found::add);
        return found;
    }

    /** @throws IllegalArgumentException naming the backends there are */
    public static HardwareBackend named(String name) {
        List<HardwareBackend> all = all();
        for (HardwareBackend b : all) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no hardware backend named '" + name + "'; there are: "
                + all.stream().map(HardwareBackend::name).toList());
    }

    /**
     * Whether an RTL test that cannot load its model must fail instead of
     * skipping: under {@code CI=true} or {@code -Dtb.rtl.required=true} (./tb test).
     */
    public static boolean rtlRequired() {
        return "true".equalsIgnoreCase(System.getenv("CI"))
                || Boolean.getBoolean("tb.rtl.required");
    }
}
