package dev.andromeda.testbed.hw.blocks;

import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parameters the Java model refuses as the Verilog's elaboration checks do: the pipeline writes a
 * beat two cycles after accepting it and judges room on an occupancy two cycles old, so the
 * buffer must hold a largest packet plus 5 beats, not only twice a largest packet.
 */
class CsumOffloadModuleTest {

    @Test
    void refusesABufferWithoutRoomForTheLargestPacketAndThePipelineSlack() {
        // 32 bytes = 4 beats at 64 bits: twice a 16-byte packet, but not 2 beats + 5 of slack.
        assertThatThrownBy(() -> new CsumOffloadModule(64, 32, 16, 4, 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BUFFER_BYTES must hold a largest packet plus 5 beats of pipeline slack");
    }

    @Test
    void acceptsTheSmallestBufferWithTheSlack() {
        // 64 bytes = 8 beats: a 24-byte packet (3 beats) plus 5.
        assertThatCode(() -> new CsumOffloadModule(64, 64, 24, 4, 16)).doesNotThrowAnyException();
    }
}
