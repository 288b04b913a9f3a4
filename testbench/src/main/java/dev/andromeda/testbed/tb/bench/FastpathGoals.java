package dev.andromeda.testbed.tb.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 11's goals for the fast path, judged on one run of {@code tb bench fastpath}: each
 * goal's target, what this run measured, met or not, and -- when not met -- why, from the same
 * run's evidence (the stages that cost the most, by the host's stage timers; for PSP, the
 * AES-GCM seal measured alone on this core, the floor no path around it can beat).
 *
 * <p>A verdict, not a test: the figures are whatever this machine gave, and a loaded machine
 * fails goals a quiet one meets. It is printed so that a reader of the output does not have to
 * work out from the table which goal holds.
 */
public final class FastpathGoals {
    /** Andromeda's budget is 300 ns a packet; issue 11 asks a third of it on the honest benchmark. */
    public static final double EGRESS_NS = 100;
    public static final double INGRESS_NS = 100;
    /** 1M flows within 1.5x of 1K: the cost of the table's cache misses, bounded. */
    public static final double TABLE_RATIO = 1.5;
    public static final double PSP_GBPS = 2.0;
    public static final int PSP_BYTES = 1500;

    private FastpathGoals() {
    }

    /** One goal's verdict; {@code why} is empty when met. */
    public record Goal(String id, String what, double target, double measured, String unit, boolean met,
                       String why) {
    }

    /**
     * @param egress        egress 64 B at 1M flows, Zipf: ns a packet and its stages
     * @param egressSmall   the same at 1K flows, Zipf (null when not run)
     * @param ingress       ingress 64 B: ns a packet and its stages
     * @param psp           egress PSP at 1,500 B: ns a packet and its stages
     * @param sealAloneNs   the sw AES-GCM seal alone at 1,500 B on this core, ns a packet (NaN when not run)
     * @param engine        the engine that seal ran on ({@code openssl} or {@code jdk})
     * @param bytesPerPacket the largest bytes allocated a packet over the three paths
     */
    public static List<Goal> judge(Path egress, Path egressSmall, Path ingress, Path psp, double sealAloneNs,
                                   String engine, double bytesPerPacket) {
        List<Goal> out = new ArrayList<>();
        out.add(latency("egress-ns", "egress 64 B, 1M flows, Zipf", EGRESS_NS, egress));
        out.add(latency("ingress-ns", "ingress 64 B", INGRESS_NS, ingress));
        if (egressSmall != null) {
            double ratio = egress.ns() / egressSmall.ns();
            boolean met = ratio <= TABLE_RATIO;
            out.add(new Goal("table-ratio", "egress 1M flows / 1K flows", TABLE_RATIO, ratio, "x", met,
                    met ? "" : String.format(Locale.ROOT, "flow stage %s ns at 1M flows against %s at 1K: the"
                            + " table's cache misses", f(egress.stage("flow")), f(egressSmall.stage("flow")))));
        }
        boolean noAlloc = bytesPerPacket < 0.5; // JMH's per-op norm: a fraction is the harness, not the path
        out.add(new Goal("bytes-per-packet", "bytes allocated a packet", 0, bytesPerPacket, "B", noAlloc,
                noAlloc ? "" : "the GC profiler's norm; HostAllocationTest finds which path"));
        double gbps = PSP_BYTES / psp.ns();
        boolean pspMet = gbps >= PSP_GBPS;
        String pspWhy = "";
        if (!pspMet) {
            double budget = PSP_BYTES / PSP_GBPS;
            StringBuilder w = new StringBuilder();
            double seal = psp.stage("psp");
            if (!Double.isNaN(seal)) {
                w.append(String.format(Locale.ROOT, "the %s seal (psp stage) takes %s of the %s ns a packet that"
                        + " 2 GB/s allows", engine, f(seal), f(budget)));
                if (!Double.isNaN(sealAloneNs)) {
                    w.append(String.format(Locale.ROOT, " (alone, outside the path: %s ns, %s GB/s)", f(sealAloneNs),
                            f2(PSP_BYTES / sealAloneNs)));
                }
                w.append("; ");
            }
            w.append("the path's stages: ").append(top(psp, 3));
            pspWhy = w.toString();
        }
        out.add(new Goal("psp-gbps", "egress PSP 1,500 B", PSP_GBPS, gbps, "GB/s", pspMet, pspWhy));
        return out;
    }

    private static Goal latency(String id, String what, double target, Path p) {
        boolean met = p.ns() <= target;
        return new Goal(id, what, target, p.ns(), "ns", met, met ? "" : "the stages that cost most: " + top(p, 3));
    }

    /** The n costliest stages, "flow 88, parse 38, checksum 26". */
    static String top(Path p, int n) {
        List<Map.Entry<String, Double>> s = new ArrayList<>(p.stages().entrySet());
        s.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < Math.min(n, s.size()); k++) {
            b.append(k == 0 ? "" : ", ").append(s.get(k).getKey()).append(' ').append(f(s.get(k).getValue()));
        }
        double rest = p.ns() - p.stages().values().stream().mapToDouble(Double::doubleValue).sum();
        if (rest > 0.5) {
            b.append(", outside the stages ").append(f(rest));
        }
        return b.append(" ns").toString();
    }

    /** A measured path: ns a packet and the host's stage timers' ns a packet. */
    public record Path(double ns, Map<String, Double> stages) {
        double stage(String name) {
            return stages.getOrDefault(name, Double.NaN);
        }
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
