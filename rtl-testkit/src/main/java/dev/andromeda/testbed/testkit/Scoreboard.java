package dev.andromeda.testbed.testkit;

import dev.andromeda.testbed.hw.driver.AxiFrame;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * In-order scoreboard: what the oracle says will come out ({@link #expect}), checked against
 * what does ({@link #actual}) as it arrives. The first difference, an unexpected item or, at
 * the end, one still missing fails with a message naming the stream, the item's number and
 * both values; the {@link Dut} that made it keeps its waveform then.
 *
 * @param <T> what is compared, e.g. {@link AxiFrame}
 */
public final class Scoreboard<T> {
    private final String name;
    private final BiPredicate<T, T> same;
    private final Consumer<String> onFailure;
    private final ArrayDeque<T> expected = new ArrayDeque<>();
    private long matched;

    Scoreboard(String name, BiPredicate<T, T> same, Consumer<String> onFailure) {
        this.name = name;
        this.same = same;
        this.onFailure = onFailure;
    }

    /** A scoreboard on its own (no Dut to tell). */
    public static <T> Scoreboard<T> of(String name, BiPredicate<T, T> same) {
        return new Scoreboard<>(name, same, m -> {
        });
    }

    /** Frames compared by their bytes and sideband fields (tuser, tid, tdest), not by their cycles. */
    public static boolean sameFrame(AxiFrame a, AxiFrame b) {
        return Arrays.equals(a.data(), b.data()) && a.user() == b.user() && a.id() == b.id() && a.dest() == b.dest();
    }

    public Scoreboard<T> expect(T item) {
        expected.addLast(item);
        return this;
    }

    /** @throws AssertionError when it is not the next expected item */
    public void actual(T item) {
        T want = expected.pollFirst();
        if (want == null) {
            fail(name + ": item " + matched + " was not expected: " + item);
        }
        if (!same.test(want, item)) {
            fail(name + ": item " + matched + " differs: expected " + want + ", got " + item);
        }
        matched++;
    }

    /** @throws AssertionError when expected items did not come */
    public void assertDrained() {
        if (!expected.isEmpty()) {
            fail(name + ": " + expected.size() + " expected item(s) never came after " + matched + " matched; the next: "
                    + expected.peekFirst());
        }
    }

    /** Whether every expected item came. */
    public boolean drained() {
        return expected.isEmpty();
    }

    public long matched() {
        return matched;
    }

    private void fail(String message) {
        onFailure.accept(message);
        throw new AssertionError(message);
    }
}
