package dev.andromeda.testbed.fastpath.dataplane;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LongKeyMap} against {@link HashMap} (the oracle) over seeded random puts, removes and gets. */
class LongKeyMapTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void behavesAsAHashMapUnderPutsRemovesAndGets(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        LongKeyMap<Long> map = new LongKeyMap<>();
        Map<Long, Long> oracle = new HashMap<>();
        // Few distinct keys, so removes hit, probe runs collide and the delete shift is exercised.
        int keys = 1 + r.nextInt(200);
        for (int op = 0; op < 20_000; op++) {
            long k = r.nextInt(keys) * (r.nextBoolean() ? 1L : 0x1_0000_0001L) - keys / 2;
            String where = "seed " + seed + ", op " + op + ", key " + k;
            switch (r.nextInt(3)) {
                case 0 -> {
                    long v = r.nextLong();
                    assertThat(map.put(k, v)).as(where).isEqualTo(oracle.put(k, v));
                }
                case 1 -> assertThat(map.remove(k)).as(where).isEqualTo(oracle.remove(k));
                default -> assertThat(map.get(k)).as(where).isEqualTo(oracle.get(k));
            }
            assertThat(map.size()).as(where).isEqualTo(oracle.size());
        }
        for (long k = -keys; k < 2L * keys; k++) {
            assertThat(map.get(k)).as("seed " + seed + ", key " + k).isEqualTo(oracle.get(k));
        }
    }
}
