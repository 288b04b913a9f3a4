package dev.andromeda.testbed.hw.blocks.csum;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.hw.driver.StreamProtocolChecker;
import dev.andromeda.testbed.hw.driver.Testbench;
import dev.andromeda.testbed.hw.driver.ValidReadySink;
import dev.andromeda.testbed.hw.driver.ValidReadySource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bus-functional driver of {@code csum_offload} on any
 * {@link HardwareModel}: sends each job's command and packet beats, takes the
 * packets back into host memory in place (as a NIC writes a frame back) and
 * collects the checksums, under seeded random idle cycles and back-pressure,
 * with protocol checkers on every channel.
 *
 * <p>Beats carry packet byte 0 in lane 0 (tdata[7:0]), so a full beat is the
 * packet's 8 bytes read as a little-endian long.
 */
public final class CsumOffloadDriver {
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One packet to checksum: where it is, and its command. */
    public record Job(long offset, int length, int csumStart, int csumOffset, boolean insert, int seed) {
    }

    /**
     * What the block returned for the jobs, by job index.
     *
     * @param latencyCycles      cycles from the job's first beat offered to its checksum taken
     * @param firstBeatOutCycles cycles from the job's first beat offered to its first beat back
     * @param cycles             cycles the whole run took
     */
    public record Result(int[] csum, long[] latencyCycles, long[] firstBeatOutCycles, long cycles, long beatsIn,
                         long beatsOut) {
    }

    private final HardwareModel model;
    private final int keepWidth;
    private final Channel cmd;
    private final Channel in;
    private final Channel out;
    private final Channel res;

    public CsumOffloadDriver(HardwareModel model) {
        this.model = model;
        this.keepWidth = model.ports().get(model.port("s_axis_tkeep")).width();
        if (keepWidth > 8) {
            throw new IllegalArgumentException("the driver handles DATA_WIDTH up to 64; this model has "
                    + 8 * keepWidth);
        }
        this.cmd = Channel.of(model, "s_cmd", "s_cmd_valid", "s_cmd_ready",
                "s_cmd_csum_start", "s_cmd_csum_offset", "s_cmd_csum_enable", "s_cmd_csum_init");
        this.in = Channel.axiStream(model, "s_axis");
        this.out = Channel.axiStream(model, "m_axis");
        this.res = Channel.of(model, "m_res", "m_res_valid", "m_res_ready", "m_res_csum");
    }

    public HardwareModel model() {
        return model;
    }

    /**
     * Runs the jobs through the block; packets are rewritten in place.
     *
     * @param seed            seed of the idle and back-pressure choices
     * @param idleProbability chance a source leaves a cycle idle
     * @param backpressure    chance a sink holds ready low in a cycle
     */
    public Result run(MemorySegment memory, Job[] jobs, long seed, double idleProbability, double backpressure) {
        final int n = jobs.length;
        final int[] csum = new int[n];
        final long[] firstBeat = new long[n];
        final long[] latency = new long[n];
        final long[] firstOut = new long[n];
        long totalBeats = 0;
        for (Job j : jobs) {
            totalBeats += Math.max(1, (j.length() + keepWidth - 1) / keepWidth);
        }

        // Commands, one per job.
        int[] nextCmd = {0};
        ValidReadySource cmdSource = new ValidReadySource(model, cmd, f -> {
            if (nextCmd[0] == n) {
                return false;
            }
            Job j = jobs[nextCmd[0]++];
            f[0] = j.csumStart();
            f[1] = j.csumOffset();
            f[2] = j.insert() ? 1 : 0;
            f[3] = j.seed();
            return true;
        }, seed * 4 + 1, idleProbability);

        // Packet beats, job after job.
        int[] inJob = {0};
        int[] inPos = {0};
        ValidReadySource dataSource = new ValidReadySource(model, in, f -> {
            if (inJob[0] == n) {
                return false;
            }
            Job j = jobs[inJob[0]];
            int pos = inPos[0];
            if (pos == 0) {
                firstBeat[inJob[0]] = model.cycle();
            }
            int bytes = Math.min(keepWidth, j.length() - pos);
            f[0] = bytes == 8 ? memory.get(LE_LONG, j.offset() + pos) : readPartial(memory, j.offset() + pos, bytes);
            f[1] = (1L << bytes) - 1;
            boolean last = pos + keepWidth >= j.length();
            f[2] = last ? 1 : 0;
            if (last) {
                inJob[0]++;
                inPos[0] = 0;
            } else {
                inPos[0] = pos + keepWidth;
            }
            return true;
        }, seed * 4 + 2, idleProbability);

        // Packets back, written in place.
        int[] outJob = {0};
        int[] outPos = {0};
        ValidReadySink dataSink = new ValidReadySink(model, out, (f, cycle) -> {
            if (outJob[0] == n) {
                throw new IllegalStateException("csum_offload sent a beat after the last packet (cycle " + cycle + ")");
            }
            Job j = jobs[outJob[0]];
            int bytes = Long.bitCount(f[1]);
            if (outPos[0] == 0) {
                firstOut[outJob[0]] = cycle - firstBeat[outJob[0]] + 1;
            }
            if (outPos[0] + bytes > j.length()) {
                throw new IllegalStateException("csum_offload returned more than the " + j.length()
                        + " bytes of packet " + outJob[0] + " (cycle " + cycle + ")");
            }
            writePartial(memory, j.offset() + outPos[0], f[0], bytes);
            outPos[0] += bytes;
            if (f[2] != 0) {
                if (outPos[0] != j.length()) {
                    throw new IllegalStateException("csum_offload returned " + outPos[0] + " of the " + j.length()
                            + " bytes of packet " + outJob[0] + " (cycle " + cycle + ")");
                }
                outJob[0]++;
                outPos[0] = 0;
            }
        }, seed * 4 + 3, backpressure);

        // Checksums.
        int[] resJob = {0};
        ValidReadySink resSink = new ValidReadySink(model, res, (f, cycle) -> {
            if (resJob[0] == n) {
                throw new IllegalStateException("csum_offload sent a checksum with no packet pending (cycle " + cycle + ")");
            }
            int j = resJob[0]++;
            csum[j] = (int) f[0];
            latency[j] = cycle - firstBeat[j] + 1;
        }, seed * 4 + 4, backpressure);

        StreamProtocolChecker inCheck = StreamProtocolChecker.axiStream(model, in);
        StreamProtocolChecker outCheck = StreamProtocolChecker.axiStream(model, out);
        Testbench tb = new Testbench(model)
                .add(cmdSource).add(dataSource).add(dataSink).add(resSink)
                .add(new StreamProtocolChecker(model, cmd)).add(inCheck).add(outCheck)
                .add(new StreamProtocolChecker(model, res));
        // Generous: stalls of the random traffic aside, the block needs about a cycle a beat.
        long limit = 10_000 + totalBeats * 64;
        long cycles = tb.runUntil(() -> resJob[0] == n && outJob[0] == n, limit);
        return new Result(csum, latency, firstOut, cycles, inCheck.beats(), outCheck.beats());
    }

    private static long readPartial(MemorySegment memory, long at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (memory.get(ValueLayout.JAVA_BYTE, at + i) & 0xFFL) << (8 * i);
        }
        return v;
    }

    private static void writePartial(MemorySegment memory, long at, long data, int bytes) {
        if (bytes == 8) {
            memory.set(LE_LONG, at, data);
            return;
        }
        for (int i = 0; i < bytes; i++) {
            memory.set(ValueLayout.JAVA_BYTE, at + i, (byte) (data >>> (8 * i)));
        }
    }
}
