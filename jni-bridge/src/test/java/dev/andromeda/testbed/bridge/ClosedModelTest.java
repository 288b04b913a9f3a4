package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.contract.Backends;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * After {@code close()} the model's native memory is freed: every call that
 * would touch it must fail with a clear exception instead of reading or
 * writing freed memory (or crashing the JVM), and a second close is harmless.
 */
class ClosedModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void everyNativeCallAfterCloseFailsSayingTheModelIsClosed(String backend, @TempDir Path dir) {
        HardwareModel m = Backends.open(backend, "csum_offload");
        int narrow = m.port("s_cmd_valid");
        int data = m.port("s_axis_tdata");
        int out = m.port("s_cmd_ready");
        m.step(3);
        assertThat(m.get(out)).as("the model works before close").isEqualTo(1);
        m.close();

        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("set", () -> m.set(narrow, 1));
        calls.put("set 64-bit", () -> m.set(data, -1L));
        calls.put("get", () -> m.get(out));
        calls.put("setWide", () -> m.setWide(data, new long[] {1}));
        calls.put("getWide", () -> m.getWide(data, new long[1]));
        calls.put("step", () -> m.step(1));
        calls.put("reset", () -> m.reset(1));
        calls.put("cycle", m::cycle);
        calls.put("traceOn", () -> m.traceOn(dir.resolve("after-close.vcd")));
        calls.put("traceOff", m::traceOff);
        calls.forEach((name, call) -> assertThatThrownBy(call)
                .as(name + " after close")
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("csum_offload (" + backend + ") is closed"));

        assertThatCode(m::close).as("a second close").doesNotThrowAnyException();
        // What does not touch native memory still answers.
        assertThat(m.block()).isEqualTo("csum_offload");
        assertThat(m.port("s_cmd_valid")).isEqualTo(narrow);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void theBenchLoopAfterCloseFailsToo(String backend) {
        HardwareModel m = Backends.open(backend, "csum_offload");
        int in = m.port("s_cmd_valid");
        int out = m.port("s_cmd_ready");
        m.close();
        ThrowingCallable loop = m instanceof dev.andromeda.testbed.bridge.ffm.FfmModel f
                ? () -> f.benchLoop(in, out, 10)
                : () -> ((dev.andromeda.testbed.bridge.jni.JniModel) m).benchLoop(in, out, 10);
        assertThatThrownBy(loop).isInstanceOf(IllegalStateException.class)
                .hasMessage("csum_offload (" + backend + ") is closed");
    }
}
