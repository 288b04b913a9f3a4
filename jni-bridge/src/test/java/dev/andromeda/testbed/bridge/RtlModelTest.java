package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;
import dev.andromeda.testbed.hw.contract.Backends;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Verilated models through each bridge: ports, reset, masking, waveforms, probe. */
class RtlModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void listsTheRtlPortsWithWidthsAndDirections(String backend) {
        try (HardwareModel m = Backends.open(backend, "csum_offload")) {
            PortInfo data = m.ports().get(m.port("s_axis_tdata"));
            assertThat(data.width()).isEqualTo(64);
            assertThat(data.direction()).isEqualTo(PortDirection.IN);
            assertThat(m.ports().get(m.port("m_res_csum")).width()).isEqualTo(16);
            assertThat(m.ports().get(m.port("m_res_csum")).direction()).isEqualTo(PortDirection.OUT);
            assertThat(m.ports()).extracting(PortInfo::name).contains("clk", "rst", "s_cmd_ready", "m_axis_tlast");
            assertThatThrownBy(() -> m.port("bogus")).hasMessageContaining("no port 'bogus'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void comesOutOfResetIdleAndReadyForACommand(String backend) {
        try (HardwareModel m = Backends.open(backend, "csum_offload")) {
            assertThat(m.cycle()).isEqualTo(4);
            assertThat(m.get(m.port("s_cmd_ready"))).isEqualTo(1);
            assertThat(m.get(m.port("s_axis_tready"))).as("no command yet").isZero();
            assertThat(m.get(m.port("m_axis_tvalid"))).isZero();
            m.set(m.port("s_cmd_valid"), 1);
            m.step(1);
            assertThat(m.get(m.port("s_axis_tready"))).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void dropsBitsAboveAPortsWidth(String backend) {
        try (HardwareModel m = Backends.open(backend, "csum_offload")) {
            m.set(m.port("s_axis_tkeep"), 0x1FF);
            assertThat(m.get(m.port("s_axis_tkeep"))).isEqualTo(0xFF);
            m.set(m.port("s_axis_tdata"), -1L);
            assertThat(m.get(m.port("s_axis_tdata"))).isEqualTo(-1L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void writesAWaveformSwitchedOnAtRunTime(String backend, @TempDir Path dir) throws Exception {
        Path vcd = dir.resolve("sub/csum.vcd");
        try (HardwareModel m = Backends.open(backend, "csum_offload")) {
            m.step(10);
            m.traceOn(vcd);
            m.set(m.port("s_cmd_valid"), 1);
            m.step(5);
            m.traceOff();
            m.step(10);
        }
        String text = Files.readString(vcd);
        assertThat(text).contains("$enddefinitions", "s_cmd_ready", "acc_reg"); // an internal register: the whole design is traced
        // Two timestamps a cycle while tracing (the clock's fall and rise), none after traceOff.
        assertThat(text.lines().filter(l -> l.startsWith("#")).count()).isBetween(10L, 12L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void refusesABlockItDoesNotHave(String backend) {
        assertThatThrownBy(() -> Backends.require(backend).open("no_such_block"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("csum_offload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void probesAvailabilityWithTheVerilatorThatBuiltTheModels(String backend) {
        Backends.require(backend);
        assertThat(NativeModels.get().isAvailable()).isTrue();
        assertThat(NativeModels.get().unavailabilityCause()).isNull();
        assertThat(NativeModels.get().verilator()).startsWith("Verilator");
        assertThat(NativeModels.get().blocks()).contains("csum_offload");
    }
}
