package dev.andromeda.testbed.fastpath.pipeline;

import dev.andromeda.testbed.fastpath.offload.Stage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageMixPortTest {

    @Test
    void portDefaultsToTheWireAndStaysOutOfTheCanonicalTextThen() {
        StageMix m = StageMix.parse("copy=rtl-ffm@1024");
        assertThat(m.port()).isEqualTo("sw");
        assertThat(m.toString()).isEqualTo("checksum=sw,copy=rtl-ffm@1024,crypto=sw");
    }

    @Test
    void portNicMeansTheNicOnEmu() {
        StageMix m = StageMix.parse("port=nic");
        assertThat(m.port()).isEqualTo("emu");
        assertThat(m.toString()).isEqualTo("checksum=sw,copy=sw,crypto=sw,port=emu");
        assertThat(m.shortName()).isEqualTo("port=emu");
        assertThat(StageMix.parse(m.toString()).toString()).isEqualTo(m.toString());
    }

    @Test
    void allInsideAMixSetsEveryStageButNotThePort() {
        StageMix m = StageMix.parse("all=emu,port=nic");
        for (Stage s : Stage.values()) {
            assertThat(m.implementation(s)).isEqualTo("emu");
        }
        assertThat(m.shortName()).isEqualTo("all emu,port=emu");
    }

    @Test
    void refusesAnUnknownPortImplementationNamingWhatIsAllowed() {
        assertThatThrownBy(() -> StageMix.parse("port=fpga"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no implementation 'fpga'").hasMessageContaining("port");
    }

    @Test
    void checksumNicIsTheNicPortsAndOnlyValidWithOne() {
        for (String port : new String[] {"emu", "nic", "rtl-jni", "rtl-ffm"}) {
            StageMix m = StageMix.parse("checksum=nic,port=" + port);
            assertThat(m.implementation(Stage.CHECKSUM)).isEqualTo(StageMix.NIC);
            assertThat(StageMix.parse(m.toString()).toString()).isEqualTo(m.toString());
        }
        assertThat(StageMix.parse("checksum=nic,port=emu").shortName()).isEqualTo("port=emu+csum");
        assertThat(StageMix.parse("checksum=nic,copy=emu,port=rtl-ffm").shortName())
                .isEqualTo("copy=emu,port=rtl-ffm+csum");
        assertThat(StageMix.parse("checksum=nic@128,port=emu").shortName()).isEqualTo("checksum=nic@128,port=emu");
        assertThatThrownBy(() -> StageMix.parse("checksum=nic"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checksum=nic needs the NIC as the port: add port=emu, rtl-jni or rtl-ffm");
        assertThatThrownBy(() -> StageMix.parse("port=sw,checksum=nic"))
                .hasMessageContaining("checksum=nic needs the NIC as the port");
    }

    @Test
    void cryptoNicIsTheNicPortsToo() {
        StageMix m = StageMix.parse("crypto=nic,port=rtl-ffm");
        assertThat(m.implementation(Stage.CRYPTO)).isEqualTo(StageMix.NIC);
        assertThat(StageMix.parse(m.toString()).toString()).isEqualTo(m.toString());
        assertThat(m.shortName()).isEqualTo("port=rtl-ffm+psp");
        assertThat(StageMix.parse("checksum=nic,crypto=nic,port=emu").shortName()).isEqualTo("port=emu+csum+psp");
        assertThatThrownBy(() -> StageMix.parse("crypto=nic"))
                .hasMessage("crypto=nic needs the NIC as the port: add port=emu, rtl-jni or rtl-ffm");
    }

    @Test
    void nicIsAnImplementationOfTheChecksumAndCryptoStagesOnly() {
        assertThatThrownBy(() -> StageMix.parse("copy=nic,port=emu")).hasMessageContaining("no implementation 'nic'");
        assertThatThrownBy(() -> StageMix.parse("all=nic,port=emu")).hasMessageContaining("no implementation 'nic'");
    }
}
