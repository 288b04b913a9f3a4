package dev.andromeda.testbed.tb.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * From which packet size offloading a stage to a hardware block pays, by the
 * measured costs.
 *
 * <h2>The model</h2>
 * Offloading one packet of size {@code s} saves the CPU the software stage
 * would have spent on it, less the host's share of driving the hardware
 * (posting descriptors, reaping completions): {@code cpuSw(s) - cpuHw(s)}. It
 * costs latency: the packet waits for the block, {@code hwNs(s)}, the block's
 * cycles for it at the clock (as measured: a batch's cycles over its jobs). CPU and latency are different currencies; the
 * latency weight says how many nanoseconds of CPU one nanosecond of added
 * latency is worth (1: the same; 0: latency is free and only CPU counts; more
 * than 1: a latency-sensitive service). Offloading size {@code s} pays when
 *
 * <pre>   cpuSw(s) - cpuHw(s) &gt; latencyWeight * hwNs(s)</pre>
 *
 * that is, when the margin {@code cpuSw - cpuHw - latencyWeight * hwNs} is
 * positive.
 *
 * <h2>The break-even size</h2>
 * The smallest measured size from which offloading pays at that size and
 * every larger measured size -- so a size where it happens to pay below a
 * larger one where it does not is not a break-even. The crossing is placed by
 * linear interpolation of the margin between that size and the measured size
 * just below it (where the margin is not positive), as if costs grew linearly
 * with size between the two, which stage costs roughly do. When it pays at
 * the smallest measured size the answer is {@link Kind#ALWAYS}, when it does
 * not pay at the largest it is {@link Kind#NEVER}: nothing is claimed outside
 * the measured range.
 */
public final class BreakEven {

    /** What the model says for one implementation. */
    public enum Kind {
        /** Pays at every measured size. */
        ALWAYS,
        /** Does not pay at the largest measured size. */
        NEVER,
        /** Pays from {@link Verdict#size()} on, a size between two measured ones. */
        AT
    }

    /**
     * Costs at one size, per packet.
     *
     * @param size  packet bytes
     * @param cpuSw CPU ns of the software stage
     * @param cpuHw CPU ns of the host's share with the stage offloaded
     * @param hwNs  hardware latency in ns (the block's cycles at the clock)
     */
    public record Point(int size, double cpuSw, double cpuHw, double hwNs) {
        /** CPU saved less the weighted latency added: positive when offloading pays. */
        public double margin(double latencyWeight) {
            return cpuSw - cpuHw - latencyWeight * hwNs;
        }
    }

    /**
     * The answer.
     *
     * @param kind  always, never, or at a size
     * @param size  the interpolated break-even size for {@link Kind#AT}; the smallest measured size for
     *              {@link Kind#ALWAYS}; NaN for {@link Kind#NEVER}
     * @param below for {@link Kind#AT}, the measured size just below the crossing (where it does not pay), else -1
     * @param above for {@link Kind#AT}, the measured size from which it pays, else -1
     * @param paysAt every measured size at which offloading pays, smallest first -- for {@link Kind#NEVER}
     *               the sizes below a larger one where it does not pay again
     */
    public record Verdict(Kind kind, double size, int below, int above, List<Integer> paysAt) {
        public Verdict {
            paysAt = List.copyOf(paysAt);
        }

        /** One line for a person, e.g. "pays from ~3,120 B (interpolated between 1,500 and 9,000 B)". */
        public String describe() {
            return switch (kind) {
                case ALWAYS -> String.format(Locale.ROOT, "pays at every measured size (from %,d B)", (int) size);
                case NEVER -> paysAt.isEmpty() ? "never pays at the measured sizes"
                        : "does not pay at the largest measured size, so no break-even (pays at "
                        + String.join(", ", paysAt.stream().map(s -> String.format(Locale.ROOT, "%,d", s)).toList())
                        + " B only)";
                case AT -> String.format(Locale.ROOT, "pays from ~%,.0f B (interpolated between %,d and %,d B)",
                        size, below, above);
            };
        }
    }

    private BreakEven() {
    }

    /**
     * Where offloading pays, over costs measured at distinct sizes (in any order).
     *
     * @throws IllegalArgumentException for no points, two at one size, or a negative or non-finite weight
     */
    public static Verdict find(List<Point> points, double latencyWeight) {
        if (!(latencyWeight >= 0) || Double.isInfinite(latencyWeight)) {
            throw new IllegalArgumentException("latency weight must be finite and at least 0: " + latencyWeight);
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no measured sizes");
        }
        List<Point> bySize = new ArrayList<>(points);
        bySize.sort(Comparator.comparingInt(Point::size));
        for (int i = 1; i < bySize.size(); i++) {
            if (bySize.get(i).size() == bySize.get(i - 1).size()) {
                throw new IllegalArgumentException("two costs at size " + bySize.get(i).size());
            }
        }
        List<Integer> paysAt = bySize.stream().filter(p -> p.margin(latencyWeight) > 0).map(Point::size).toList();
        // Walk down from the largest size while it pays: where the walk stops is the crossing.
        int from = bySize.size();
        while (from > 0 && bySize.get(from - 1).margin(latencyWeight) > 0) {
            from--;
        }
        if (from == bySize.size()) {
            return new Verdict(Kind.NEVER, Double.NaN, -1, -1, paysAt);
        }
        if (from == 0) {
            return new Verdict(Kind.ALWAYS, bySize.getFirst().size(), -1, -1, paysAt);
        }
        Point lo = bySize.get(from - 1);
        Point hi = bySize.get(from);
        double mLo = lo.margin(latencyWeight); // <= 0
        double mHi = hi.margin(latencyWeight); // > 0
        double size = lo.size() + (hi.size() - lo.size()) * (-mLo) / (mHi - mLo);
        return new Verdict(Kind.AT, size, lo.size(), hi.size(), paysAt);
    }

    /**
     * The points of a hardware implementation against the software baseline,
     * at the sizes both were measured at (both must have run).
     */
    public static List<Point> points(List<StageCost> software, List<StageCost> hardware) {
        Map<Integer, StageCost> sw = new HashMap<>();
        for (StageCost c : software) {
            if (c.ran()) {
                sw.put(c.size(), c);
            }
        }
        List<Point> points = new ArrayList<>();
        for (StageCost h : hardware) {
            StageCost s = sw.get(h.size());
            if (h.ran() && s != null) {
                points.add(new Point(h.size(), s.cpuNsPerJob(), h.cpuNsPerJob(), h.hwNsPerJob()));
            }
        }
        return points;
    }
}
