package dev.andromeda.testbed.hw.blocks.dma;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.AxiMemory;
import dev.andromeda.testbed.hw.driver.AxiPortMap;
import dev.andromeda.testbed.hw.driver.AxiPorts;
import dev.andromeda.testbed.hw.driver.AxiProtocolChecker;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.hw.driver.StreamProtocolChecker;
import dev.andromeda.testbed.hw.driver.Testbench;
import dev.andromeda.testbed.hw.driver.ValidReadySink;
import dev.andromeda.testbed.hw.driver.ValidReadySource;

import java.lang.foreign.MemorySegment;

/**
 * Bus-functional driver of {@code dma_copy} on any {@link HardwareModel}:
 * offers each job's descriptor, serves the block's memory port from host
 * memory through an {@link AxiMemory} (the one AXI4 memory, on {@link AxiPortMap#dmaCopy()}) and takes the completions, under
 * seeded random idle cycles and back-pressure, with protocol checkers on every
 * channel. Completions must come back in descriptor order, with the
 * descriptors' cookies, and each only after the responses to every write of
 * its copy were delivered (the responder's completion checker: the block
 * writes each destination beat once, in descriptor order); anything else
 * throws. The run is bounded: a block that stops making progress fails with
 * {@link IllegalStateException} instead of hanging.
 */
public final class DmaCopyDriver {

    /** One copy: {@code length} bytes from {@code src} to {@code dst} (offsets into the memory segment). */
    public record Job(long src, long dst, int length, int cookie) {
    }

    /**
     * What the block returned for the jobs, by job index.
     *
     * @param status           completion status ({@link DmaCopyModule#STATUS_OK}, {@code STATUS_READ_ERROR}, ...)
     * @param latencyCycles    cycles from the descriptor first offered to its completion taken
     * @param queuedCycles     the part of {@code latencyCycles} spent behind the copy before it: from
     *                         the offer to that copy's completion, 0 if it had completed (the engine
     *                         completes in order, so the rest is the copy's own service time)
     * @param cycles           cycles the whole run took
     * @param bytesRead        bytes the memory returned on s_rdata
     * @param bytesWritten     strobed bytes the memory accepted on m_wr
     * @param maxReadsInFlight the most read bursts in flight at once
     */
    public record Result(int[] status, long[] latencyCycles, long[] queuedCycles, long cycles, long bytesRead,
                         long bytesWritten, int maxReadsInFlight) {
    }

    /**
     * Destination beats the block writes for a copy: one per 8-byte beat the destination touches,
     * none for an empty copy or one longer than {@code maxLen} (a bad descriptor).
     */
    public static long writesOf(Job job, long maxLen) {
        return writesOf(job, maxLen, 8);
    }

    /** As {@link #writesOf(Job, long)} for beats of {@code beatBytes} bytes (DATA_WIDTH / 8). */
    public static long writesOf(Job job, long maxLen, int beatBytes) {
        if (job.length() == 0 || job.length() > maxLen) {
            return 0;
        }
        return ((job.dst() & (beatBytes - 1)) + job.length() + beatBytes - 1) / beatBytes;
    }

    private final HardwareModel model;
    /** Bytes a data beat of the model (DATA_WIDTH / 8: its m_wr_strb has a bit a byte). */
    private final int beatBytes;
    private final Channel desc;
    private final Channel cpl;

    public DmaCopyDriver(HardwareModel model) {
        this.model = model;
        this.beatBytes = model.ports().get(model.port("m_wr_strb")).width();
        this.desc = Channel.of(model, "s_desc", "s_desc_valid", "s_desc_ready",
                "s_desc_src", "s_desc_dst", "s_desc_len", "s_desc_cookie");
        this.cpl = Channel.of(model, "m_cpl", "m_cpl_valid", "m_cpl_ready", "m_cpl_cookie", "m_cpl_status");
    }

    public HardwareModel model() {
        return model;
    }

    /** Bytes a data beat of the model: DATA_WIDTH / 8. */
    public int beatBytes() {
        return beatBytes;
    }

    /**
     * The block's memory: an {@link AxiMemory} on its memory port ({@link AxiPortMap#dmaCopy()}),
     * refusing misaligned addresses (the block only issues whole beats of its DATA_WIDTH).
     */
    public static AxiMemory memory(HardwareModel model, MemorySegment memory, long seed, int latency,
                                   int maxReadsInFlight, double idleProbability, double backpressure,
                                   AxiMemory.Faults faults) {
        return new AxiMemory(AxiPorts.bind(model, AxiPortMap.dmaCopy()), memory, seed, latency, maxReadsInFlight,
                idleProbability, backpressure, faults).alignedOnly(true);
    }

    /**
     * Runs the jobs through the block; memory is copied in place.
     *
     * @param seed             seed of every idle and back-pressure choice
     * @param idleProbability  chance a source (descriptors, read data) leaves a cycle idle
     * @param backpressure     chance a sink (completions, read requests, writes) holds ready low in a cycle
     * @param memoryLatency    cycles from a read burst accepted to its first beat offered (0 acts as 1)
     * @param maxReadsInFlight read bursts the memory accepts before it stops taking more
     */
    public Result run(MemorySegment memory, Job[] jobs, long seed, double idleProbability, double backpressure,
                      int memoryLatency, int maxReadsInFlight) {
        return run(memory, jobs, seed, idleProbability, backpressure, memoryLatency, maxReadsInFlight,
                AxiMemory.Faults.none());
    }

    /**
     * As {@link #run(MemorySegment, Job[], long, double, double, int, int)}, with the memory injecting
     * the given errors and answering writes at the given latency.
     */
    public Result run(MemorySegment memory, Job[] jobs, long seed, double idleProbability, double backpressure,
                      int memoryLatency, int maxReadsInFlight, AxiMemory.Faults faults) {
        final int n = jobs.length;
        // Writes covered by completion i: those of jobs 0..i (the block writes in descriptor order).
        final long[] writesThrough = new long[n];
        long writes = 0;
        for (int i = 0; i < n; i++) {
            writes += writesOf(jobs[i], DmaCopyModule.DEFAULT_MAX_LEN, beatBytes);
            writesThrough[i] = writes;
        }
        final int[] status = new int[n];
        final long[] offered = new long[n];
        final long[] latency = new long[n];
        final long[] queued = new long[n];
        final long[] completedAt = new long[n];
        long totalBeats = 0;
        for (Job j : jobs) {
            if (j.length() < 0) {
                throw new IllegalArgumentException("negative length: " + j);
            }
            totalBeats += 2 + Math.min(j.length(), DmaCopyModule.DEFAULT_MAX_LEN + 8L) / beatBytes;
        }

        int[] nextDesc = {0};
        ValidReadySource descSource = new ValidReadySource(model, desc, f -> {
            if (nextDesc[0] == n) {
                return false;
            }
            int i = nextDesc[0]++;
            Job j = jobs[i];
            offered[i] = model.cycle();
            f[0] = j.src();
            f[1] = j.dst();
            f[2] = j.length();
            f[3] = j.cookie() & 0xFFFF;
            return true;
        }, seed * 4 + 1, idleProbability);

        int[] done = {0};
        AxiMemory[] memRef = new AxiMemory[1];
        ValidReadySink cplSink = new ValidReadySink(model, cpl, (f, cycle) -> {
            int i = done[0];
            if (i == n || i >= nextDesc[0]) {
                throw new IllegalStateException(model.block() + " on " + model.backend()
                        + ": completion (cookie 0x" + Long.toHexString(f[0]) + ") with no descriptor pending (cycle "
                        + cycle + ")");
            }
            long want = jobs[i].cookie() & 0xFFFF;
            if (f[0] != want) {
                throw new IllegalStateException(model.block() + " on " + model.backend() + ": completion " + i
                        + " has cookie 0x" + Long.toHexString(f[0]) + ", expected 0x" + Long.toHexString(want)
                        + " (completions must come in descriptor order; cycle " + cycle + ")");
            }
            memRef[0].checkCompletion("copy " + i + " " + jobs[i], writesThrough[i], cycle);
            status[i] = (int) f[1];
            latency[i] = cycle - offered[i] + 1;
            completedAt[i] = cycle;
            queued[i] = i == 0 ? 0 : Math.max(0, completedAt[i - 1] - offered[i] + 1);
            done[0]++;
        }, seed * 4 + 2, backpressure);

        AxiMemory mem = memory(model, memory, seed * 4 + 3, memoryLatency, maxReadsInFlight,
                idleProbability, backpressure, faults);
        memRef[0] = mem;

        Testbench tb = new Testbench(model)
                .add(descSource).add(cplSink).add(mem)
                .add(new StreamProtocolChecker(model, desc))
                .add(new StreamProtocolChecker(model, cpl))
                .add(new AxiProtocolChecker(mem.ports()));
        // Generous: random stalls aside, the block needs about a cycle a beat plus the memory latency.
        double stall = 1 / Math.max(0.05, (1 - idleProbability) * (1 - backpressure));
        long limit = 20_000 + (long) ((totalBeats * 8
                + (long) n * (Math.max(1, memoryLatency) + faults.writeResponseLatency() + 32) * 4) * stall);
        long cycles = tb.runUntil(() -> done[0] == n, limit);
        return new Result(status, latency, queued, cycles, mem.bytesRead(), mem.bytesWritten(), mem.maxReadsInFlight());
    }
}
