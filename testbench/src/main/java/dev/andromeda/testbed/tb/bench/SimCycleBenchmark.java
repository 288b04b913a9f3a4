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

import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per simulated clock cycle of {@code csum_offload}, driven from
 * Java through each backend, beside the same loop written in C++ over the same
 * Verilated model ({@code cxx-loop}, the ceiling for any Java driver).
 *
 * <p>Every cycle does what a driver does: write the input data port, step one
 * rising edge, read the output data port. The static inputs keep the block
 * fully busy: a command always offered, every beat a one-beat packet, every
 * output taken -- one packet a cycle through the whole pipeline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SimCycleBenchmark {
    public static final int CYCLES = 10_000;

    @Param({"emu", "rtl-jni", "rtl-ffm", "cxx-loop"})
    public String backend;

    private HardwareModel model;
    private int tdata;
    private int mdata;

    @Setup(Level.Trial)
    public void open() {
        model = backend.equals("cxx-loop") ? new FfmBackend().open("csum_offload")
                : HardwareBackends.named(backend).open("csum_offload");
        model.set(model.port("s_cmd_valid"), 1);
        model.set(model.port("s_cmd_csum_enable"), 1);
        model.set(model.port("s_cmd_csum_offset"), 2);
        model.set(model.port("s_axis_tvalid"), 1);
        model.set(model.port("s_axis_tkeep"), 0xFF);
        model.set(model.port("s_axis_tlast"), 1);
        model.set(model.port("m_axis_tready"), 1);
        model.set(model.port("m_res_ready"), 1);
        tdata = model.port("s_axis_tdata");
        mdata = model.port("m_axis_tdata");
    }

    @TearDown(Level.Trial)
    public void close() {
        model.close();
    }

    @Benchmark
    @OperationsPerInvocation(CYCLES)
    public long cycle() {
        if (model instanceof FfmModel ffm && backend.equals("cxx-loop")) {
            return ffm.benchLoop(tdata, mdata, CYCLES);
        }
        HardwareModel m = model;
        long acc = 0;
        for (int i = 0; i < CYCLES; i++) {
            m.set(tdata, i);
            m.step(1);
            acc ^= m.get(mdata);
        }
        return acc;
    }
}
