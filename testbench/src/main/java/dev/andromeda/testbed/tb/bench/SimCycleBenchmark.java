package dev.andromeda.testbed.tb.bench;

import dev.andromeda.testbed.bridge.ffm.FfmBackend;
import dev.andromeda.testbed.bridge.ffm.FfmModel;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.hw.HardwareModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per simulated clock cycle of each block, driven from Java
 * through each backend, beside the same loop written in C++ over the same
 * Verilated model ({@code cxx-loop}, the ceiling for any Java driver).
 *
 * <p>Every cycle does what a driver does: write the block's input data port,
 * step one rising edge, read its output data port. Static inputs keep the
 * block busy without a driver (see {@link #BUSY}): commands and descriptors
 * always offered, every output always taken; for {@code dma_copy} read data is
 * always offered too, so its datapath streams every cycle.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SimCycleBenchmark {
    public static final int CYCLES = 10_000;

    /** Per block: the input written each cycle, the output read, and the inputs held. */
    record Busy(String in, String out, Map<String, Long> held) {
    }

    static final Map<String, Busy> BUSY = Map.of(
            "csum_offload", new Busy("s_axis_tdata", "m_axis_tdata", Map.of(
                    "s_cmd_valid", 1L, "s_cmd_csum_enable", 1L, "s_cmd_csum_offset", 2L, "s_axis_tvalid", 1L,
                    "s_axis_tkeep", 0xFFL, "s_axis_tlast", 1L, "m_axis_tready", 1L, "m_res_ready", 1L)),
            "dma_copy", new Busy("s_rdata_data", "m_wr_data", Map.of(
                    "s_desc_valid", 1L, "s_desc_len", 4096L, "s_desc_src", 3L, "s_desc_dst", 65541L,
                    "m_cpl_ready", 1L, "m_rd_ready", 1L, "s_rdata_valid", 1L, "m_wr_ready", 1L)),
            "aes_gcm", new Busy("s_text_tdata", "m_text_tdata", Map.ofEntries(
                    Map.entry("s_cmd_valid", 1L), Map.entry("s_cmd_aes256", 1L), Map.entry("s_cmd_text_len", 16384L),
                    Map.entry("s_key_tvalid", 1L), Map.entry("s_iv_tvalid", 1L), Map.entry("s_aad_tvalid", 1L),
                    Map.entry("s_aad_tkeep", 0xFFL), Map.entry("s_text_tvalid", 1L), Map.entry("s_text_tkeep", 0xFFL),
                    Map.entry("m_text_tready", 1L), Map.entry("m_res_ready", 1L))));

    @Param({"csum_offload", "dma_copy", "aes_gcm"})
    public String block;

    @Param({"emu", "rtl-jni", "rtl-ffm", "cxx-loop"})
    public String backend;

    private HardwareModel model;
    private int in;
    private int out;

    @Setup(Level.Trial)
    public void open() {
        model = backend.equals("cxx-loop") ? new FfmBackend().open(block)
                : HardwareBackends.named(backend).open(block);
        Busy busy = BUSY.get(block);
        busy.held().forEach((port, value) -> model.set(model.port(port), value));
        in = model.port(busy.in());
        out = model.port(busy.out());
    }

    @TearDown(Level.Trial)
    public void close() {
        model.close();
    }

    @Benchmark
    @OperationsPerInvocation(CYCLES)
    public long cycle() {
        if (model instanceof FfmModel ffm && backend.equals("cxx-loop")) {
            return ffm.benchLoop(in, out, CYCLES);
        }
        HardwareModel m = model;
        long acc = 0;
        for (int i = 0; i < CYCLES; i++) {
            m.set(in, i);
            m.step(1);
            acc ^= m.get(out);
        }
        return acc;
    }
}
