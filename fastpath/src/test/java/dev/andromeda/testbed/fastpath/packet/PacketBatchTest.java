package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketBatchTest {

    @Test
    void keepsEachFramesBufferOffsetAndLengthInParallelArrays() {
        PacketBatch batch = new PacketBatch(PacketBatch.EGRESS_CAPACITY);
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.add(7, 14_464L, 1514)).isZero();
        assertThat(batch.add(3, 6_272L, 64)).isEqualTo(1);
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.buffer[1]).isEqualTo(3);
        assertThat(batch.offset[1]).isEqualTo(6_272L);
        assertThat(batch.length[0]).isEqualTo(1514);
    }

    @Test
    void fillsToCapacityAndThenRefusesAnotherFrame() {
        PacketBatch batch = new PacketBatch(PacketBatch.INGRESS_CAPACITY);
        for (int i = 0; i < 128; i++) {
            batch.add(i, i * 2048L, 60);
        }
        assertThat(batch.isFull()).isTrue();
        assertThatThrownBy(() -> batch.add(0, 0, 60)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void isReusedAfterClear() {
        PacketBatch batch = new PacketBatch(2);
        batch.add(1, 128, 60);
        batch.add(2, 2176, 60);
        batch.clear();
        assertThat(batch.size()).isZero();
        assertThat(batch.add(5, 999, 70)).isZero();
        assertThat(batch.buffer[0]).isEqualTo(5);
    }

    @Test
    void rejectsANonPositiveCapacity() {
        assertThatThrownBy(() -> new PacketBatch(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
