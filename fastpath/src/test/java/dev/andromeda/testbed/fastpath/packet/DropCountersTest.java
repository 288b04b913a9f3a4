package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DropCountersTest {

    @Test
    void countsEachReasonApartAndTotalsOnlyTheDrops() {
        DropCounters counters = new DropCounters();
        counters.count(DropReason.NONE);
        counters.count(DropReason.NONE);
        counters.count(DropReason.TRUNCATED_UDP);
        counters.add(DropReason.IPV4_BAD_HEADER_CHECKSUM, 3);

        assertThat(counters.accepted()).isEqualTo(2);
        assertThat(counters.get(DropReason.TRUNCATED_UDP)).isEqualTo(1);
        assertThat(counters.get(DropReason.TRUNCATED_TCP)).isZero();
        assertThat(counters.total()).isEqualTo(4);
        assertThat(counters).hasToString("{NONE=2, IPV4_BAD_HEADER_CHECKSUM=3, TRUNCATED_UDP=1}");
    }

    @Test
    void addsAnotherSetOfCountersAndResets() {
        DropCounters queue0 = new DropCounters();
        DropCounters queue1 = new DropCounters();
        queue0.count(DropReason.TRUNCATED_GENEVE);
        queue1.count(DropReason.TRUNCATED_GENEVE);
        queue0.addAll(queue1);
        assertThat(queue0.get(DropReason.TRUNCATED_GENEVE)).isEqualTo(2);
        queue0.reset();
        assertThat(queue0.total()).isZero();
        assertThat(queue0).hasToString("{}");
    }

    @Test
    void putsNoneFirstSoItsOrdinalIsZero() {
        assertThat(DropReason.NONE.ordinal()).isZero();
        assertThat(DropReason.NONE.isDrop()).isFalse();
        assertThat(DropReason.TRUNCATED_ETHERNET.isDrop()).isTrue();
    }
}
