package dev.andromeda.testbed.hw.blocks.csum;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.BeatBytes;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.hw.driver.StreamProtocolChecker;
import dev.andromeda.testbed.hw.driver.Testbench;
import dev.andromeda.testbed.hw.driver.ValidReadySink;
import dev.andromeda.testbed.hw.driver.ValidReadySource;

import java.lang.foreign.MemorySegment;

/**
 * Bus-functional driver of {@code csum_offload} on any
 * {@link HardwareModel}: sends each job's command and packet beats, takes the
 * packets back into host memory in place (as a NIC writes a frame back) and
 * collects the checksums, under seeded random idle cycles and back-pressure,
 * with protocol checkers on every channel.
 *
 * <p>Beats carry packet byte 0 in lane 0 (tdata[7:0]), so a full beat is the
 * packet's {@code DATA_WIDTH / 8} bytes read as little-endian longs. The width is the
 * model's: its {@code s_axis_tkeep} has a bit a lane, so a model built at any
 * {@code DATA_WIDTH} (16..512) is driven alike ({@link BeatBytes}; tdata wider than 64 bits
 * moves as several words).
 */
public final class CsumOffloadDriver {

    /**
     * One packet to checksum: where it is, and its command.
     *
     * @param udp      a computed 0x0000 is sent as 0xFFFF (RFC 768)
     * @param keepHole fault injection: the beat of this index goes in with tkeep lane 0 cleared (a
     *                 hole the block must refuse), or -1 for none
     */
    public record Job(long offset, int length, int csumStart, int csumOffset, boolean insert, int seed, boolean udp,
                      int keepHole) {
        /** A TCP-style job (no zero mapping) with well-formed beats. */
        public Job(long offset, int length, int csumStart, int csumOffset, boolean insert, int seed) {
            this(offset, length, csumStart, csumOffset, insert, seed, false, -1);
        }
    }

    /**
     * What the block returned for the jobs, by job index.
     *
     * @param latencyCycles      cycles from the job's first beat offered to its checksum taken
     * @param firstBeatOutCycles cycles from the job's first beat offered to its first beat back
     * @param cycles             cycles the whole run took
     * @param status             the block's m_res_status per job ({@link CsumOffloadModule#STATUS_OK} ...);
     *                           a refused job's packet comes back as no bytes and its memory is untouched
     * @param errCount           the block's err_count at the end of the run
     */
    public record Result(int[] csum, long[] latencyCycles, long[] firstBeatOutCycles, long cycles, long beatsIn,
                         long beatsOut, int[] status, long errCount) {
    }

    private final HardwareModel model;
    private final int keepWidth;
    private final Channel cmd;
    private final Channel in;
    private final Channel out;
    private final Channel res;
    private final int errCountPort;

    public CsumOffloadDriver(HardwareModel model) {
        this.model = model;
        this.keepWidth = model.ports().get(model.port("s_axis_tkeep")).width();
        if (keepWidth > 64) {
            throw new IllegalArgumentException("the driver handles DATA_WIDTH up to 512; this model has "
                    + 8 * keepWidth);
        }
        this.cmd = Channel.of(model, "s_cmd", "s_cmd_valid", "s_cmd_ready",
                "s_cmd_csum_start", "s_cmd_csum_offset", "s_cmd_csum_enable", "s_cmd_csum_init", "s_cmd_csum_udp");
        this.in = Channel.axiStream(model, "s_axis");
        this.out = Channel.axiStream(model, "m_axis");
        this.res = Channel.of(model, "m_res", "m_res_valid", "m_res_ready", "m_res_csum", "m_res_status");
        this.errCountPort = model.port("err_count");
    }

    public HardwareModel model() {
        return model;
    }

    /** Bytes a beat: the model's DATA_WIDTH / 8. */
    public int beatBytes() {
        return keepWidth;
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
        final int[] status = new int[n];
        final int[] bytesOut = new int[n];
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
            f[4] = j.udp() ? 1 : 0;
            return true;
        }, seed * 4 + 1, idleProbability);

        // Packet beats, job after job: tdata words, then tkeep, then tlast.
        final int keepAt = in.offset(1);
        final int lastAt = in.offset(2);
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
            BeatBytes.read(memory, j.offset() + pos, bytes, keepWidth, f, 0);
            f[keepAt] = bytes == 64 ? -1L : (1L << bytes) - 1;
            if (pos / keepWidth == j.keepHole()) {
                f[keepAt] &= ~1L;
            }
            boolean last = pos + keepWidth >= j.length();
            f[lastAt] = last ? 1 : 0;
            if (last) {
                inJob[0]++;
                inPos[0] = 0;
            } else {
                inPos[0] = pos + keepWidth;
            }
            return true;
        }, seed * 4 + 2, idleProbability);

        // Packets back, written in place.
        final int outKeepAt = out.offset(1);
        final int outLastAt = out.offset(2);
        int[] outJob = {0};
        int[] outPos = {0};
        ValidReadySink dataSink = new ValidReadySink(model, out, (f, cycle) -> {
            if (outJob[0] == n) {
                throw new IllegalStateException("csum_offload sent a beat after the last packet (cycle " + cycle + ")");
            }
            Job j = jobs[outJob[0]];
            int bytes = Long.bitCount(f[outKeepAt]);
            if (outPos[0] == 0) {
                firstOut[outJob[0]] = cycle - firstBeat[outJob[0]] + 1;
            }
            if (f[outKeepAt] == 0 && f[outLastAt] != 0 && outPos[0] == 0) {
                // One empty beat: the whole packet (0 bytes), or a refused one; its status tells which.
                outJob[0]++;
                return;
            }
            if (outPos[0] + bytes > j.length()) {
                throw new IllegalStateException("csum_offload returned more than the " + j.length()
                        + " bytes of packet " + outJob[0] + " (cycle " + cycle + ")");
            }
            BeatBytes.write(memory, j.offset() + outPos[0], bytes, f, 0);
            outPos[0] += bytes;
            bytesOut[outJob[0]] = outPos[0];
            if (f[outLastAt] != 0) {
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
            status[j] = (int) f[1];
            latency[j] = cycle - firstBeat[j] + 1;
        }, seed * 4 + 4, backpressure);

        // Injected tkeep holes break the input's tkeep rules on purpose: then only its handshake is checked.
        boolean holes = false;
        for (Job j : jobs) {
            holes |= j.keepHole() >= 0;
        }
        StreamProtocolChecker inCheck = holes ? new StreamProtocolChecker(model, in, -1, 2)
                : StreamProtocolChecker.axiStream(model, in);
        StreamProtocolChecker outCheck = StreamProtocolChecker.axiStream(model, out);
        Testbench tb = new Testbench(model)
                .add(cmdSource).add(dataSource).add(dataSink).add(resSink)
                .add(new StreamProtocolChecker(model, cmd)).add(inCheck).add(outCheck)
                .add(new StreamProtocolChecker(model, res));
        // Generous: stalls of the random traffic aside, the block needs about a cycle a beat.
        long limit = 10_000 + totalBeats * 64;
        long cycles = tb.runUntil(() -> resJob[0] == n && outJob[0] == n, limit);
        for (int i = 0; i < n; i++) {
            int want = status[i] == CsumOffloadModule.STATUS_OK ? jobs[i].length() : 0;
            if (bytesOut[i] != want) {
                throw new IllegalStateException("csum_offload returned " + bytesOut[i] + " bytes of packet " + i
                        + " of " + jobs[i].length() + " with status " + status[i]);
            }
        }
        return new Result(csum, latency, firstOut, cycles, inCheck.beats(), outCheck.beats(), status,
                model.get(errCountPort));
    }
}
