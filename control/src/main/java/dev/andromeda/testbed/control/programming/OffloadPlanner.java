package dev.andromeda.testbed.control.programming;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Decides the hoverboard model's offload flows (Andromeda §3.3). Sending hosts
 * report bytes per flow ({@link #report}); at {@link #endInterval()} the
 * planner turns each flow's bytes over the interval (measured on the injected
 * clock) into bits/s. A flow at or above the threshold (default 20 kbps, the
 * paper's) gets a direct host-to-host flow on its sender; an offloaded flow
 * below the threshold for {@code idleIntervals} intervals in a row loses it.
 * Deterministic: the same reports and clock give the same decisions.
 * {@link #active()} feeds {@link HoverboardModel}. Thread-safe.
 */
public final class OffloadPlanner {
    public static final double DEFAULT_THRESHOLD_BPS = 20_000;
    public static final int DEFAULT_IDLE_INTERVALS = 3;

    /** What one interval changed. */
    public record Decisions(List<OffloadFlow> added, List<OffloadFlow> removed, Map<OffloadFlow, Double> bitsPerSecond) {
    }

    private final double thresholdBps;
    private final int idleIntervals;
    private final LongSupplier nanoClock;
    private long intervalStart;
    private final Map<OffloadFlow, Long> bytes = new HashMap<>();
    private final Map<OffloadFlow, Integer> active = new LinkedHashMap<>(); // offload -> intervals below threshold

    public OffloadPlanner(double thresholdBps, int idleIntervals, LongSupplier nanoClock) {
        if (thresholdBps <= 0 || idleIntervals < 1) {
            throw new IllegalArgumentException("threshold > 0 and idle intervals >= 1");
        }
        this.thresholdBps = thresholdBps;
        this.idleIntervals = idleIntervals;
        this.nanoClock = nanoClock;
        this.intervalStart = nanoClock.getAsLong();
    }

    public OffloadPlanner(LongSupplier nanoClock) {
        this(DEFAULT_THRESHOLD_BPS, DEFAULT_IDLE_INTERVALS, nanoClock);
    }

    /** A sending host's usage of a flow since its last report. */
    public synchronized void report(int senderHostId, int vni, int proto, int src, int dst, long byteCount) {
        if (byteCount < 0) {
            throw new IllegalArgumentException("bytes >= 0: " + byteCount);
        }
        bytes.merge(new OffloadFlow(senderHostId, vni, proto, src, dst), byteCount, Long::sum);
    }

    /** Closes the interval: rates, offloads added and removed. */
    public synchronized Decisions endInterval() {
        long now = nanoClock.getAsLong();
        long elapsed = now - intervalStart;
        if (elapsed <= 0) {
            throw new IllegalStateException("an interval must take time (clock did not advance)");
        }
        intervalStart = now;
        double seconds = elapsed / 1e9;
        Map<OffloadFlow, Double> rates = new LinkedHashMap<>();
        bytes.entrySet().stream()
                .sorted(java.util.Comparator.comparing((Map.Entry<OffloadFlow, Long> e) -> e.getKey().toString()))
                .forEach(e -> rates.put(e.getKey(), e.getValue() * 8 / seconds));
        bytes.clear();
        List<OffloadFlow> added = new ArrayList<>();
        List<OffloadFlow> removed = new ArrayList<>();
        for (Map.Entry<OffloadFlow, Double> e : rates.entrySet()) {
            if (e.getValue() >= thresholdBps) {
                if (active.put(e.getKey(), 0) == null) {
                    added.add(e.getKey());
                }
            }
        }
        var it = active.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            double r = rates.getOrDefault(e.getKey(), 0.0);
            if (r >= thresholdBps) {
                continue;
            }
            int idle = e.getValue() + 1;
            if (idle >= idleIntervals) {
                it.remove();
                removed.add(e.getKey());
            } else {
                e.setValue(idle);
            }
        }
        return new Decisions(List.copyOf(added), List.copyOf(removed), Map.copyOf(rates));
    }

    /** The offload flows in force. */
    public synchronized Set<OffloadFlow> active() {
        return Set.copyOf(active.keySet());
    }
}
