package dev.andromeda.testbed.tb.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's verdict on one run: every packet sent must arrive exactly once,
 * at the VM it was sent to, byte-identical to what a receiver must get (the
 * guest's frame with its L4 checksum completed, computed independently of the
 * dataplane) and to what the reference run (all {@code sw}) delivered. Anything
 * else is counted by kind and the first few cases are kept for the report.
 */
public final class Scoreboard {
    /** What one run's scoreboard says. */
    public record Verdict(long sent, long delivered, long lost, long duplicates, long misdelivered, long mismatches,
                          long unknown, List<String> examples) {
        public boolean clean() {
            return delivered == sent && lost == 0 && duplicates == 0 && misdelivered == 0 && mismatches == 0
                    && unknown == 0;
        }
    }

    private record Expected(long vmKey, byte[] frame) {
    }

    private final Map<Long, Expected> expected = new HashMap<>();
    private final Map<Long, byte[]> reference;      // delivered bytes of the reference run, or null for it
    private final Map<Long, byte[]> delivered = new HashMap<>();
    private final List<String> examples = new ArrayList<>();
    private long duplicates;
    private long misdelivered;
    private long mismatches;
    private long unknown;

    /** @param reference what the reference run delivered, by packet id; null when this is the reference run */
    public Scoreboard(Map<Long, byte[]> reference) {
        this.reference = reference;
    }

    /** A packet the VM at {@code dstKey} must receive as {@code frame}. */
    public void expect(long packetId, long dstKey, byte[] frame) {
        expected.put(packetId, new Expected(dstKey, frame));
    }

    /** A frame the VM at {@code vmKey} received. */
    public void received(long vmKey, byte[] frame) {
        long id = GuestFrames.packetId(frame);
        Expected e = expected.get(id);
        if (e == null) {
            unknown++;
            example("a frame that is no packet of this run arrived at VM " + Long.toHexString(vmKey));
            return;
        }
        if (delivered.putIfAbsent(id, frame) != null) {
            duplicates++;
            example("packet " + id + " delivered twice");
            return;
        }
        if (e.vmKey() != vmKey) {
            misdelivered++;
            example("packet " + id + " for VM " + Long.toHexString(e.vmKey()) + " arrived at VM "
                    + Long.toHexString(vmKey));
        } else if (!Arrays.equals(e.frame(), frame)) {
            mismatches++;
            example("packet " + id + ": " + firstDifference(e.frame(), frame) + " (against the expected frame)");
        } else if (reference != null && reference.containsKey(id) && !Arrays.equals(reference.get(id), frame)) {
            mismatches++;
            example("packet " + id + ": " + firstDifference(reference.get(id), frame) + " (against the sw run)");
        }
    }

    private static String firstDifference(byte[] want, byte[] got) {
        if (want.length != got.length) {
            return want.length + " bytes expected, " + got.length + " received";
        }
        int i = Arrays.mismatch(want, got);
        return String.format("byte %d is 0x%02x, expected 0x%02x", i, got[i] & 0xFF, want[i] & 0xFF);
    }

    private void example(String s) {
        if (examples.size() < 10) {
            examples.add(s);
        }
    }

    /** Packets delivered so far, by id (the reference run's become the next runs' reference). */
    public Map<Long, byte[]> deliveredFrames() {
        return delivered;
    }

    public long deliveredCount() {
        return delivered.size();
    }

    public Verdict verdict() {
        long lost = expected.keySet().stream().filter(id -> !delivered.containsKey(id)).count();
        if (lost > 0) {
            expected.keySet().stream().filter(id -> !delivered.containsKey(id)).sorted().limit(3)
                    .forEach(id -> example("packet " + id + " never arrived"));
        }
        return new Verdict(expected.size(), delivered.size(), lost, duplicates, misdelivered, mismatches, unknown,
                List.copyOf(examples));
    }
}
