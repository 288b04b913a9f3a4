package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketPoolTest {

    @Test
    void handsOutEveryBufferOnceThenReturnsMinusOne() {
        try (PacketPool pool = new PacketPool(8, 2048)) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                int buffer = pool.allocate();
                assertThat(buffer).isBetween(0, 7);
                assertThat(seen.add(buffer)).as("buffer %d handed out twice", buffer).isTrue();
            }
            assertThat(pool.available()).isZero();
            assertThat(pool.allocate()).isEqualTo(-1);
        }
    }

    @Test
    void countsEveryAllocationThatFindsThePoolEmpty() {
        try (PacketPool pool = new PacketPool(2, 2048)) {
            pool.allocate();
            pool.allocate();
            for (int i = 0; i < 5; i++) {
                pool.allocate();
            }
            assertThat(pool.exhausted()).isEqualTo(5);
        }
    }

    @Test
    void throwsOnADoubleFree() {
        try (PacketPool pool = new PacketPool(4, 2048)) {
            int buffer = pool.allocate();
            pool.free(buffer);
            assertThatThrownBy(() -> pool.free(buffer)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("double free");
            assertThatThrownBy(() -> pool.free(3)).as("never allocated").isInstanceOf(IllegalStateException.class);
            assertThat(pool.available()).isEqualTo(4);
        }
    }

    @Test
    void rejectsABufferIndexOutsideThePool() {
        try (PacketPool pool = new PacketPool(4, 2048)) {
            assertThatThrownBy(() -> pool.free(4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> pool.free(-1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> pool.base(4)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void reusesTheMostRecentlyFreedBufferFirst() {
        try (PacketPool pool = new PacketPool(4, 2048)) {
            assertThat(pool.allocate()).isZero();
            int second = pool.allocate();
            pool.free(second);
            assertThat(pool.allocate()).as("the cache-warm buffer comes back first").isEqualTo(second);
        }
    }

    @Test
    void placesEveryBufferAndEveryReceivedFrameOnA64ByteBoundary() {
        for (int bufferBytes : new int[] {2048, 10_240, 192}) {
            try (PacketPool pool = new PacketPool(5, bufferBytes)) {
                assertThat(pool.memory().address() % 64).isZero();
                assertThat(pool.memory().byteSize()).isEqualTo(5L * bufferBytes);
                for (int b = 0; b < 5; b++) {
                    assertThat(pool.base(b)).isEqualTo((long) b * bufferBytes);
                    assertThat((pool.memory().address() + pool.frameOffset(b)) % 64).isZero();
                    assertThat(pool.frameOffset(b) - pool.base(b)).isEqualTo(PacketPool.HEADROOM);
                }
                assertThat(pool.maxFrameBytes()).isEqualTo(bufferBytes - 128);
            }
        }
    }

    @Test
    void keepsBuffersApart() {
        try (PacketPool pool = new PacketPool(3, 2048)) {
            for (int b = 0; b < 3; b++) {
                pool.memory().asSlice(pool.base(b), pool.bufferBytes()).fill((byte) (b + 1));
            }
            for (int b = 0; b < 3; b++) {
                assertThat(pool.memory().get(ValueLayout.JAVA_BYTE, pool.base(b))).isEqualTo((byte) (b + 1));
                assertThat(pool.memory().get(ValueLayout.JAVA_BYTE, pool.base(b) + 2047)).isEqualTo((byte) (b + 1));
            }
        }
    }

    @Test
    void rejectsBufferSizesThatBreakAlignmentOrLeaveNoRoomAfterTheHeadroom() {
        assertThatThrownBy(() -> new PacketPool(4, 2000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacketPool(4, 128)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacketPool(0, 2048)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survivesRandomAllocateAndFreeSequencesWithoutLosingABuffer() {
        long seed = 0x9E3779B97F4A7C15L;
        Random random = new Random(seed);
        try (PacketPool pool = new PacketPool(70, 2048)) {
            Set<Integer> held = new HashSet<>();
            for (int step = 0; step < 20_000; step++) {
                if (random.nextBoolean() && !held.isEmpty()) {
                    int buffer = held.iterator().next();
                    held.remove(buffer);
                    pool.free(buffer);
                } else {
                    int buffer = pool.allocate();
                    if (buffer >= 0) {
                        assertThat(held.add(buffer)).as("seed %d step %d: %d handed out twice", seed, step, buffer).isTrue();
                    } else {
                        assertThat(held).as("seed %d step %d", seed, step).hasSize(70);
                    }
                }
                assertThat(pool.available() + held.size()).as("seed %d step %d", seed, step).isEqualTo(70);
                for (int b : held) {
                    assertThat(pool.isAllocated(b)).isTrue();
                }
            }
        }
    }
}
