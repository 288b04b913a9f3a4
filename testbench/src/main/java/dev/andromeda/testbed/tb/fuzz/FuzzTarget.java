package dev.andromeda.testbed.tb.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** What {@code tb fuzz} can fuzz: each a Jazzer target class ({@code fuzzerTestOneInput}) with its seeds. */
public enum FuzzTarget {
    PARSER("parser", ParserFuzz.class, ParserFuzz::seeds,
            "the packet parser on any bytes"),
    RECEIVE("receive", ReceivePathFuzz.class, ReceivePathFuzz::seeds,
            "a host's receive path: parse, PSP open, decapsulation, checksum, delivery"),
    EGRESS("egress", EgressPathFuzz.class, EgressPathFuzz::seeds,
            "a host's egress path from a VM's frame, then the peer's receive path"),
    CONTROL("control", ControlMessageFuzz.class, ControlMessageFuzz::seeds,
            "the programming messages a host agent accepts from its controller");

    private final String id;
    private final Class<?> targetClass;
    private final Supplier<List<byte[]>> seeds;
    private final String what;

    FuzzTarget(String id, Class<?> targetClass, Supplier<List<byte[]>> seeds, String what) {
        this.id = id;
        this.targetClass = targetClass;
        this.seeds = seeds;
        this.what = what;
    }

    public String id() {
        return id;
    }

    public String targetClass() {
        return targetClass.getName();
    }

    /** Well-formed starting inputs, written into an empty corpus. */
    public List<byte[]> seeds() {
        return seeds.get();
    }

    public String what() {
        return what;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(FuzzTarget::id).toList();
    }

    /** The target of that name, or null. */
    public static FuzzTarget byId(String id) {
        for (FuzzTarget t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        return null;
    }
}
