package dev.andromeda.testbed.tb.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster scoreboard counts packets by id across hosts: a packet delivered at two hosts is
 * delivered once and duplicated once, not delivered twice (which would hide a loss elsewhere).
 */
class ClusterScoreTest {

    /** A host's {@code /received} reply as {@link Traffic#received} writes it, built here by hand. */
    private static String reply(long sent, long duplicatesHere, int... ids) {
        BitSet b = new BitSet();
        for (int id : ids) {
            b.set(id);
        }
        return "{\"round\":1,\"expected\":0,\"sent\":" + sent + ",\"delivered\":" + b.cardinality()
                + ",\"duplicates\":" + duplicatesHere + ",\"misdelivered\":0,\"mismatches\":0,\"pending\":0,\"ids\":\""
                + Base64.getEncoder().encodeToString(b.toByteArray()) + "\"}\n";
    }

    @Test
    void aPacketDeliveredAtTwoHostsIsOneDeliveryAndOneDuplicate() {
        // Four packets expected; packet 2 reached both hosts, packet 3 reached none.
        ClusterRun.Score s = ClusterRun.tally(List.of(reply(2, 0, 0, 2), reply(2, 0, 1, 2)), 4);
        assertThat(s.delivered()).isEqualTo(3);
        assertThat(s.duplicates()).isEqualTo(1);
        assertThat(s.lost()).isEqualTo(1);
        assertThat(s.clean()).isFalse();
    }

    @Test
    void aHostWithNothingDeliveredAddsNothing() {
        ClusterRun.Score s = ClusterRun.tally(List.of(reply(3, 0, 0, 1, 2), reply(0, 0)), 3);
        assertThat(s).isEqualTo(new ClusterRun.Score(3, 3, 3, 0, 0, 0));
        assertThat(s.clean()).isTrue();
    }

    /** Seeded rounds of packets scattered over hosts, some copied; counted by id apart from the code. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void countsEveryPacketOnceByIdWhereverItArrived(long seed) {
        Random r = new Random(seed);
        int hosts = 1 + r.nextInt(4);
        int expected = 1 + r.nextInt(3000);
        List<List<Integer>> at = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            at.add(new ArrayList<>());
        }
        Map<Integer, Integer> copies = new HashMap<>();
        for (int id = 0; id < expected; id++) {
            int n = r.nextInt(20) == 0 ? 0 : r.nextInt(10) == 0 ? 2 : 1; // some lost, some at two hosts
            List<Integer> where = new ArrayList<>();
            for (int h = 0; h < hosts; h++) {
                where.add(h);
            }
            java.util.Collections.shuffle(where, r);
            for (int k = 0; k < Math.min(n, hosts); k++) {
                at.get(where.get(k)).add(id);
                copies.merge(id, 1, Integer::sum);
            }
        }
        List<String> replies = new ArrayList<>();
        for (List<Integer> ids : at) {
            replies.add(reply(0, 0, ids.stream().mapToInt(Integer::intValue).toArray()));
        }
        long delivered = copies.size();
        long duplicates = copies.values().stream().mapToLong(c -> c - 1).sum();
        ClusterRun.Score s = ClusterRun.tally(replies, expected);
        assertThat(s.delivered()).as("seed %d", seed).isEqualTo(delivered);
        assertThat(s.duplicates()).as("seed %d", seed).isEqualTo(duplicates);
        assertThat(s.lost()).as("seed %d", seed).isEqualTo(expected - delivered);
    }
}
