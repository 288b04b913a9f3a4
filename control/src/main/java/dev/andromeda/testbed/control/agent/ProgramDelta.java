package dev.andromeda.testbed.control.agent;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What differs between the program a host runs and the one it should run --
 * the controller sends this instead of the whole program when it knows what
 * the host runs. Carried: the new version and epoch, the whole host table and
 * hoverboards (small, and the flows' actions index the new table), the flows
 * added or changed, and the keys of the flows removed. Applying it to any
 * other base than {@code baseVersion} is refused.
 *
 * @param baseVersion the version the host must run for this to apply
 * @param upserts     version, epoch, hosts, hoverboards of the target; its flows are those added or changed
 * @param removed     (vni, protocol, src, dst) of each flow removed, four ints a key
 */
public record ProgramDelta(long baseVersion, FlowProgram upserts, int[] removed) {

    public ProgramDelta {
        if (removed.length % 4 != 0) {
            throw new IllegalArgumentException("removed keys are four ints each");
        }
        removed = removed.clone();
    }

    private record Key(int vni, int proto, int src, int dst) {
        static Key of(FlowProgram.Flow f) {
            return new Key(f.vni(), f.proto(), f.src(), f.dst());
        }
    }

    /** What turns {@code base} into {@code target}. */
    public static ProgramDelta between(FlowProgram base, FlowProgram target) {
        Map<Key, FlowProgram.Flow> before = new LinkedHashMap<>();
        for (FlowProgram.Flow f : base.flows()) {
            before.put(Key.of(f), f);
        }
        List<FlowProgram.Flow> changed = new ArrayList<>();
        Set<Key> kept = new HashSet<>();
        for (FlowProgram.Flow f : target.flows()) {
            Key k = Key.of(f);
            kept.add(k);
            if (!f.equals(before.get(k))) {
                changed.add(f);
            }
        }
        List<Key> gone = before.keySet().stream().filter(k -> !kept.contains(k)).toList();
        int[] removed = new int[gone.size() * 4];
        for (int i = 0; i < gone.size(); i++) {
            Key k = gone.get(i);
            removed[4 * i] = k.vni();
            removed[4 * i + 1] = k.proto();
            removed[4 * i + 2] = k.src();
            removed[4 * i + 3] = k.dst();
        }
        return new ProgramDelta(base.version(), new FlowProgram(target.version(), target.epoch(), target.hosts(),
                target.hoverboards(), changed), removed);
    }

    /**
     * The target program.
     *
     * @throws IllegalArgumentException when {@code base} is not the version this applies to
     */
    public FlowProgram applyTo(FlowProgram base) {
        if (base.version() != baseVersion) {
            throw new IllegalArgumentException("delta applies to version " + baseVersion + ", the host runs "
                    + base.version());
        }
        Set<Key> gone = new HashSet<>();
        for (int i = 0; i < removed.length; i += 4) {
            gone.add(new Key(removed[i], removed[i + 1], removed[i + 2], removed[i + 3]));
        }
        Map<Key, FlowProgram.Flow> flows = new LinkedHashMap<>();
        for (FlowProgram.Flow f : base.flows()) {
            if (!gone.contains(Key.of(f))) {
                flows.put(Key.of(f), f);
            }
        }
        for (FlowProgram.Flow f : upserts.flows()) {
            flows.put(Key.of(f), f);
        }
        return new FlowProgram(upserts.version(), upserts.epoch(), upserts.hosts(), upserts.hoverboards(),
                new ArrayList<>(flows.values()));
    }

    /** The removed keys as bytes (big-endian ints). */
    public byte[] encodeRemoved() {
        ByteBuffer b = ByteBuffer.allocate(removed.length * 4);
        for (int v : removed) {
            b.putInt(v);
        }
        return b.array();
    }

    /** @throws IllegalArgumentException when the bytes are not whole keys */
    public static int[] decodeRemoved(byte[] bytes) {
        if (bytes.length % 16 != 0) {
            throw new IllegalArgumentException("removed keys: " + bytes.length + " bytes is not a whole number of keys");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int[] out = new int[bytes.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt();
        }
        return out;
    }

    @Override
    public int[] removed() {
        return removed.clone();
    }

    /** Flows added or changed, plus flows removed. */
    public int flowsCarried() {
        return upserts.flows().size() + removed.length / 4;
    }
}
