package dev.andromeda.testbed.tb.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WordsTest {
    @Test
    void oneIsSingularEveryOtherCountPlural() {
        assertThat(Words.count(1, "network")).isEqualTo("1 network");
        assertThat(Words.count(0, "network")).isEqualTo("0 networks");
        assertThat(Words.count(2, "byte")).isEqualTo("2 bytes");
        assertThat(Words.count(1500, "byte")).isEqualTo("1,500 bytes");
    }
}
