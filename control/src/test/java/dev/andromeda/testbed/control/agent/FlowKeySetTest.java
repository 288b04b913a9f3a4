package dev.andromeda.testbed.control.agent;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primitive flow-key set answers as a set of boxed keys does (the oracle, written apart):
 * seeded random keys, a third of them repeats of earlier ones, some differing from an earlier
 * key in one field only, and keys past the fields' ranges (the set takes any int).
 */
class FlowKeySetTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2018})
    void refusesExactlyTheKeysGivenBefore(long seed) {
        Random r = new Random(seed);
        int n = 20_000;
        FlowKeySet set = new FlowKeySet(r.nextBoolean() ? n : 1); // sized right, or far too small
        Set<List<Integer>> oracle = new HashSet<>();
        List<int[]> given = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] k;
            int pick = r.nextInt(6);
            if (pick < 2 && !given.isEmpty()) {
                k = given.get(r.nextInt(given.size())).clone();   // a repeat
            } else if (pick == 2 && !given.isEmpty()) {
                k = given.get(r.nextInt(given.size())).clone();   // one field off
                k[r.nextInt(4)] ^= 1 << r.nextInt(32);
            } else {
                k = new int[] {r.nextInt(1 << 24), r.nextInt(256), r.nextInt(), r.nextInt()};
                if (pick == 5) {
                    k[r.nextInt(2)] = r.nextInt();               // outside its field
                }
            }
            given.add(k);
            boolean fresh = oracle.add(List.of(k[0], k[1], k[2], k[3]));
            assertThat(set.add(k[0], k[1], k[2], k[3])).as("seed %d, key %d", seed, i).isEqualTo(fresh);
        }
    }
}
