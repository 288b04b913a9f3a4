package dev.andromeda.testbed.tb.ladder;

import dev.andromeda.testbed.fastpath.agent.Agent;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.hw.BlockClocks;
import dev.andromeda.testbed.fastpath.pipeline.Pipeline;
import dev.andromeda.testbed.fastpath.pipeline.StageAccount;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures every {@link LadderRung} on a {@link LadderNetwork}: single-stream
 * throughput (VM A sends 9,000-byte frames to VM B as fast as its device takes
 * them; bits of frames received over the time from the first sent to the last
 * received), round-trip latency (a 64-byte ping from A, B answers with a
 * 64-byte pong; the median and 99th percentile round trip), and CPU cycles per
 * byte over the throughput run: the CPU time (user + system, ThreadMXBean) of
 * every thread the rung runs -- dataplane, VMM, guests' vCPU, kernel receive --
 * less the CPU the hardware model took (2.2's copies from 1 KiB run on the
 * dma_copy block's emu model, on the dataplane thread: its simulation wall time
 * at that thread's share of a core), times the nominal clock, over the bytes
 * received. On 2.2 the stream's time has the model's simulation time replaced
 * by the modelled hardware time (cycles at the block's clock, in series).
 * Each rung is warmed up (a shorter run of both) before it is measured.
 */
public final class VersionLadder {
    /** The throughput frame: jumbo, as the paper's single-stream figure. */
    public static final int STREAM_FRAME = 9_000;
    public static final int PING_FRAME = 64;
    private static final long DEADLINE_NS = 120_000_000_000L;
    /** Frames in flight at most in the stream (a VM's receive ring holds 256). */
    static final int WINDOW = 128;

    /** One rung measured. */
    public record Point(String rung, String configuration, double gbps, double rttMedianUs, double rttP99Us,
                        double cyclesPerByte, long frames, long cpuNs, long simulationNs, long vmmCopies,
                        long dataplaneWakes, long badChecksums) {
    }

    /** Every rung, the first and last compared as the paper does. */
    public record Result(List<Point> points, double nominalGhz, String clockSource, String method) {
        public Point first() {
            return points.getFirst();
        }

        public Point last() {
            return points.getLast();
        }

        /** Throughput of the last rung over the first's (the paper: about 19). */
        public double throughputRatio() {
            return last().gbps() / first().gbps();
        }

        /** Latency of the first rung over the last's (the paper: about 7). */
        public double latencyRatio() {
            return first().rttMedianUs() / last().rttMedianUs();
        }

        /** Cycles per byte of the first rung over the last's (the paper: about 16). */
        public double cyclesPerByteRatio() {
            return first().cyclesPerByte() / last().cyclesPerByte();
        }
    }

    private VersionLadder() {
    }

    /**
     * @param streamFrames 9,000-byte frames per throughput run
     * @param pings        round trips per latency run
     */
    public static Result run(List<LadderRung> rungs, int streamFrames, int pings, long seed, Consumer<String> progress)
            throws IOException, InterruptedException {
        Clock clock = nominalClock();
        List<Point> points = new ArrayList<>();
        for (LadderRung r : rungs) {
            progress.accept(r.label());
            points.add(measure(r, streamFrames, pings, seed, clock.ghz));
        }
        return new Result(points, clock.ghz, clock.source, "CPU time (user+system, ThreadMXBean) of every thread the"
                + " rung runs (on 2.2 less the CPU of dma_copy's emu model, whose modelled hardware time replaces its"
                + " simulation time in the stream's), x " + clock.source + " / bytes received");
    }

    static Point measure(LadderRung rung, int streamFrames, int pings, long seed, double ghz)
            throws IOException, InterruptedException {
        OffloadOptions options = OffloadOptions.defaults();
        try (LadderNetwork net = new LadderNetwork(rung, options)) {
            Swappable guests = new Swappable();
            net.start(guests);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            // warm-up: both workloads, smaller
            runJob(guests, new Stream(net, rung, Math.max(200, streamFrames / 5), seed));
            runJob(guests, new PingPong(net, rung, Math.max(100, pings / 5), seed));
            Stream s = new Stream(net, rung, streamFrames, seed + 1);
            Thread dp = net.threads().getFirst();
            long cpu0 = cpu(mx, net.threads());
            long dpCpu0 = mx.getThreadCpuTime(dp.threadId());
            long wall0 = System.nanoTime();
            long sim0 = simulationNs(net);
            long cycles0 = hardwareCycles(net);
            runJob(guests, s);
            long cpu = cpu(mx, net.threads()) - cpu0;
            double dpShare = Math.min(1.0, (mx.getThreadCpuTime(dp.threadId()) - dpCpu0)
                    / (double) Math.max(1, System.nanoTime() - wall0));
            long simWall = simulationNs(net) - sim0;
            // The hardware model runs on the dataplane thread; its wall time holds the thread's waits
            // for a core too, so its CPU is its wall time at the thread's share of a core.
            long sim = (long) (simWall * dpShare);
            double hardwareNs = (hardwareCycles(net) - cycles0) * 1e3 / BlockClocks.mhz(Stage.COPY.block());
            PingPong p = new PingPong(net, rung, pings, seed + 2);
            runJob(guests, p);
            net.stop();
            long bytes = (long) s.received * STREAM_FRAME;
            // A device does its copies in its own time: the model's simulation time is taken out and
            // the modelled hardware time (its cycles at the block's clock) put in, still in series.
            double seconds = (s.lastReceivedNs - s.firstSentNs - simWall + hardwareNs) / 1e9;
            double[] rtt = p.rttsUs();
            return new Point(rung.label(), rung.describe(), bytes * 8 / seconds / 1e9, percentile(rtt, 0.5),
                    percentile(rtt, 0.99), Math.max(0, cpu - sim) * ghz / bytes, s.received, cpu, sim,
                    net.vmmCopies(), net.dataplaneWakes(), s.stack.badChecksums() + p.badChecksums());
        }
    }

    private static void runJob(Swappable guests, Job job) throws InterruptedException {
        guests.job = job;
        long deadline = System.nanoTime() + DEADLINE_NS;
        while (!job.done()) {
            if (System.nanoTime() > deadline) {
                guests.job = null;
                throw new IllegalStateException("a ladder run did not finish within 120 s: " + job.state());
            }
            Thread.sleep(1);
        }
        guests.job = null;
        if (job.error() != null) {
            throw new IllegalStateException(job.error());
        }
    }

    private static long cpu(ThreadMXBean mx, List<Thread> threads) {
        long n = 0;
        for (Thread t : threads) {
            long c = mx.getThreadCpuTime(t.threadId());
            n += Math.max(0, c); // -1: the thread has ended
        }
        return n;
    }

    private static long hardwareCycles(LadderNetwork net) {
        long n = 0;
        for (Host h : List.of(net.a, net.b)) {
            for (Pipeline<?> p : List.of(h.egress(), h.ingress(), h.forward())) {
                for (StageAccount a : p.accounts()) {
                    n += a.hardwareCycles();
                }
            }
        }
        return n;
    }

    private static long simulationNs(LadderNetwork net) {
        long n = 0;
        for (Host h : List.of(net.a, net.b)) {
            for (Pipeline<?> p : List.of(h.egress(), h.ingress(), h.forward())) {
                for (StageAccount a : p.accounts()) {
                    n += a.simulationNs();
                }
            }
        }
        return n;
    }

    static double percentile(double[] xs, double q) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(q * s.length))];
    }

    /** The guests' duty cycle, changed between jobs by the measuring thread. */
    private static final class Swappable implements Agent {
        volatile Job job;

        @Override
        public int doWork() {
            Job j = job;
            return j == null || j.done() ? 0 : j.doWork();
        }
    }

    private interface Job extends Agent {
        boolean done();

        String error();

        String state();
    }

    /** A sends {@code frames} jumbo frames to B; B checks each one's sequence and every 16th's bytes. */
    private static final class Stream implements Job {
        final LadderNetwork net;
        final GuestStack stack;
        final GuestStack receiver;
        final byte[][] templates = new byte[8][];
        final int frames;
        long sent;
        int received;
        long firstSentNs;
        long lastReceivedNs;
        volatile boolean done;
        volatile String error;

        Stream(LadderNetwork net, LadderRung rung, int frames, long seed) {
            this.net = net;
            this.frames = frames;
            this.stack = new GuestStack(rung.guestChecksums());
            this.receiver = new GuestStack(rung.guestChecksums());
            Random r = new Random(seed);
            for (int i = 0; i < templates.length; i++) {
                templates[i] = LadderFrames.udp(LadderNetwork.VM_A_MAC, LadderNetwork.VM_B_MAC, LadderNetwork.VM_A,
                        LadderNetwork.VM_B, STREAM_FRAME, r);
            }
        }

        @Override
        public int doWork() {
            int work = 0;
            // A window, as TCP keeps one: more in flight than the receive rings hold would be dropped at a
            // full ring (counted, but a stream with holes measures nothing).
            for (int k = 0; k < 32 && sent < frames && sent - received < WINDOW; k++) {
                byte[] f = LadderFrames.withSeq(templates[(int) (sent % templates.length)], sent);
                if (!stack.send(net.guestA, f)) {
                    break;
                }
                if (sent == 0) {
                    firstSentNs = System.nanoTime();
                }
                sent++;
                work++;
            }
            for (byte[] f; (f = receiver.receive(net.guestB)) != null; ) {
                long seq = LadderFrames.seq(f);
                if (seq != received || (seq % 16 == 0
                        && !LadderFrames.sameButChecksum(f, templates[(int) (seq % templates.length)], seq))) {
                    error = "frame " + received + " expected, got frame " + seq + " (" + f.length + " bytes)"
                            + (seq == received ? " with other bytes" : "") + "; drops: " + net.a.counters() + " / "
                            + net.b.counters();
                    done = true;
                    return work;
                }
                received++;
                work++;
                if (received == frames) {
                    lastReceivedNs = System.nanoTime();
                    done = true;
                }
            }
            return work;
        }

        @Override
        public boolean done() {
            return done;
        }

        @Override
        public String error() {
            return error != null ? error : receiver.badChecksums() > 0 ? receiver.badChecksums()
                    + " frames failed the guest's checksum" : null;
        }

        @Override
        public String state() {
            return "stream " + sent + " sent, " + received + " received of " + frames;
        }
    }

    /** A pings B with 64-byte frames, one at a time; B answers each with a pong carrying its number. */
    private static final class PingPong implements Job {
        final LadderNetwork net;
        final GuestStack a;
        final GuestStack b;
        final byte[] ping;
        final byte[] pong;
        final double[] rtts;
        int done;
        long sentAt = -1;
        volatile boolean finished;
        volatile String error;

        PingPong(LadderNetwork net, LadderRung rung, int pings, long seed) {
            this.net = net;
            this.a = new GuestStack(rung.guestChecksums());
            this.b = new GuestStack(rung.guestChecksums());
            Random r = new Random(seed);
            ping = LadderFrames.udp(LadderNetwork.VM_A_MAC, LadderNetwork.VM_B_MAC, LadderNetwork.VM_A,
                    LadderNetwork.VM_B, PING_FRAME, r);
            pong = LadderFrames.udp(LadderNetwork.VM_B_MAC, LadderNetwork.VM_A_MAC, LadderNetwork.VM_B,
                    LadderNetwork.VM_A, PING_FRAME, r);
            rtts = new double[pings];
        }

        @Override
        public int doWork() {
            int work = 0;
            if (sentAt < 0) {
                if (a.send(net.guestA, LadderFrames.withSeq(ping, done))) {
                    sentAt = System.nanoTime();
                    work++;
                }
            }
            for (byte[] f; (f = b.receive(net.guestB)) != null; ) {
                byte[] answer = LadderFrames.withSeq(pong, LadderFrames.seq(f));
                while (!b.send(net.guestB, answer)) {
                    Thread.onSpinWait(); // one frame in flight: the ring is never full for long
                }
                work++;
            }
            for (byte[] f; (f = a.receive(net.guestA)) != null; ) {
                long now = System.nanoTime();
                if (LadderFrames.seq(f) != done) {
                    error = "pong " + LadderFrames.seq(f) + " for ping " + done;
                    finished = true;
                    return work;
                }
                rtts[done++] = (now - sentAt) / 1e3;
                sentAt = -1;
                work++;
                if (done == rtts.length) {
                    finished = true;
                }
            }
            return work;
        }

        double[] rttsUs() {
            return rtts.clone();
        }

        long badChecksums() {
            return a.badChecksums() + b.badChecksums();
        }

        @Override
        public boolean done() {
            return finished;
        }

        @Override
        public String error() {
            return error != null ? error : badChecksums() > 0 ? badChecksums() + " frames failed a guest's checksum"
                    : null;
        }

        @Override
        public String state() {
            return "ping-pong " + done + " of " + rtts.length;
        }
    }

    private record Clock(double ghz, String source) {
    }

    /**
     * The nominal clock the CPU time is turned into cycles at: the rated frequency in the CPU's
     * model name ("@ 2.20GHz"), else the highest "cpu MHz" /proc/cpuinfo shows, else 1 GHz, said so.
     */
    private static Clock nominalClock() {
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            Matcher m = Pattern.compile("model name\\s*:.*@\\s*([0-9.]+)\\s*GHz").matcher(info);
            if (m.find()) {
                return new Clock(Double.parseDouble(m.group(1)), "the rated " + m.group(1) + " GHz (model name)");
            }
            Matcher mhz = Pattern.compile("cpu MHz\\s*:\\s*([0-9.]+)").matcher(info);
            double best = 0;
            while (mhz.find()) {
                best = Math.max(best, Double.parseDouble(mhz.group(1)));
            }
            if (best > 0) {
                return new Clock(best / 1000, String.format(java.util.Locale.ROOT, "%.2f GHz (cpu MHz)", best / 1000));
            }
        } catch (IOException | RuntimeException e) {
            // no /proc/cpuinfo: the fallback below says so
        }
        return new Clock(1.0, "1 GHz (no clock found: cycles are nanoseconds)");
    }
}
