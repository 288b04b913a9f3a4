package dev.andromeda.testbed.control.election;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FencedLogTest {

    @Test
    void writesWithTheSameOrANewerEpochAreAccepted() {
        FencedLog log = new FencedLog();
        assertThat(log.append(1, 3, "a").accepted()).isTrue();
        assertThat(log.append(1, 3, "b").accepted()).isTrue();
        assertThat(log.append(1, 4, "c").accepted()).isTrue();
        assertThat(log.entries(1)).extracting(FencedLog.Entry::payload).containsExactly("a", "b", "c");
        assertThat(log.highestEpoch(1)).isEqualTo(4);
    }

    @Test
    void aWriteWithAnOlderEpochIsRejectedWithAReasonAndNotStored() {
        FencedLog log = new FencedLog();
        log.append(1, 5, "new master");
        FencedLog.Result r = log.append(1, 4, "late write from deposed master");
        assertThat(r).isInstanceOfSatisfying(FencedLog.Rejected.class, rej -> {
            assertThat(rej.epoch()).isEqualTo(4);
            assertThat(rej.highestSeen()).isEqualTo(5);
            assertThat(rej.reason()).contains("stale epoch 4").contains("highest seen is 5");
        });
        assertThat(log.entries(1)).extracting(FencedLog.Entry::payload).containsExactly("new master");
        assertThat(log.highestEpoch(1)).isEqualTo(5);
    }

    @Test
    void partitionsAreFencedIndependently() {
        EpochFence fence = new FencedLog();
        assertThat(fence.admit(1, 9)).isTrue();
        assertThat(fence.admit(2, 1)).isTrue();
        assertThat(fence.admit(1, 8)).isFalse();
        assertThat(fence.admit(2, 1)).isTrue();
    }
}
