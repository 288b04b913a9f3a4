package dev.andromeda.testbed.control.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsistentHashRingTest {
    static final int HOSTS = 20_000;

    @Test
    void addingAPartitionMovesAboutOneInPHostsAndOnlyToTheNewPartition() {
        for (int p : new int[] {4, 8, 16}) {
            ConsistentHashRing before = ConsistentHashRing.of(p);
            ConsistentHashRing after = before.withPartition(p);
            int moved = 0;
            for (int h = 0; h < HOSTS; h++) {
                int a = before.partitionOf(h);
                int b = after.partitionOf(h);
                if (a != b) {
                    moved++;
                    assertThat(b).as("host %d moved, from %d, with %d partitions", h, a, p).isEqualTo(p);
                }
            }
            double fraction = moved / (double) HOSTS;
            System.out.printf("ring %d -> %d partitions: %.4f of hosts moved (ideal %.4f)%n", p, p + 1, fraction,
                    1.0 / (p + 1));
            assertThat(fraction).as("moved fraction, %d -> %d partitions", p, p + 1)
                    .isBetween(0.4 / (p + 1), 1.8 / (p + 1));
        }
    }

    @Test
    void removingAPartitionMovesOnlyItsHosts() {
        ConsistentHashRing before = ConsistentHashRing.of(8);
        ConsistentHashRing after = before.withoutPartition(3);
        int moved = 0;
        int owned = 0;
        for (int h = 0; h < HOSTS; h++) {
            int a = before.partitionOf(h);
            if (a == 3) {
                owned++;
                assertThat(after.partitionOf(h)).isNotEqualTo(3);
            } else {
                assertThat(after.partitionOf(h)).as("host %d of partition %d", h, a).isEqualTo(a);
            }
            moved += a != after.partitionOf(h) ? 1 : 0;
        }
        assertThat(moved).isEqualTo(owned);
        assertThat(moved / (double) HOSTS).isBetween(0.4 / 8, 1.8 / 8);
    }

    @Test
    void sixtyFourVirtualNodesBalanceHostsWithinAFactorOfTwo() {
        long seed = 42;
        Random rnd = new Random(seed);
        ConsistentHashRing ring = ConsistentHashRing.of(10);
        int[] count = new int[10];
        for (int i = 0; i < HOSTS; i++) {
            count[ring.partitionOf(rnd.nextInt())]++;
        }
        for (int p = 0; p < 10; p++) {
            assertThat(count[p]).as("partition %d (seed %d)", p, seed).isBetween(HOSTS / 20, HOSTS / 5);
        }
    }

    @Test
    void theRingIsDeterministic() {
        ConsistentHashRing a = ConsistentHashRing.of(7);
        ConsistentHashRing b = ConsistentHashRing.of(7);
        for (int h = 0; h < 1000; h++) {
            assertThat(a.partitionOf(h)).isEqualTo(b.partitionOf(h));
        }
    }
}
