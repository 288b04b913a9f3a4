package dev.andromeda.testbed.fastpath.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Named stages run in order over each batch, replaceable while the dataplane
 * runs (Netty's {@code ChannelPipeline}: {@code addLast(name, stage)},
 * {@code replace(name, stage)}). The stage list is copy-on-write: changes
 * build a new array and publish it with one volatile store; the dataplane
 * reads the array once per batch, so a batch always runs one consistent list
 * and the hot path takes no lock.
 *
 * <p>Every stage is accounted ({@link StageAccount}): packets and bytes it saw
 * and CPU nanoseconds on the dataplane thread, with a hardware stage's
 * simulation wall time subtracted -- that is the simulator's cost, not the
 * dataplane's.
 *
 * @param <B> the batch type
 */
public final class Pipeline<B> {
    private record Entry<B>(String name, BatchStage<B> stage, StageAccount account) {
    }

    private final ToIntFunction<B> packetsOf;
    private final ToLongFunction<B> bytesOf;
    private volatile Entry<B>[] entries;

    /**
     * @param packetsOf live packets in a batch, for the accounts
     * @param bytesOf   bytes of the live packets in a batch
     */
    @SuppressWarnings("unchecked")
    public Pipeline(ToIntFunction<B> packetsOf, ToLongFunction<B> bytesOf) {
        this.packetsOf = packetsOf;
        this.bytesOf = bytesOf;
        this.entries = new Entry[0];
    }

    /** Appends a stage. */
    public synchronized Pipeline<B> addLast(String name, BatchStage<B> stage) {
        if (indexOf(name) >= 0) {
            throw new IllegalArgumentException("a stage named '" + name + "' is already in the pipeline " + names());
        }
        Entry<B>[] old = entries;
        Entry<B>[] next = java.util.Arrays.copyOf(old, old.length + 1);
        next[old.length] = new Entry<>(name, stage, new StageAccount(name));
        entries = next; // publish: the dataplane sees the whole new list from its next batch
        return this;
    }

    /**
     * Replaces the named stage, keeping its place and its account; returns the
     * stage it replaced (close it once the dataplane has moved on).
     */
    public synchronized BatchStage<B> replace(String name, BatchStage<B> stage) {
        int i = indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no stage named '" + name + "' in " + names());
        }
        Entry<B>[] next = entries.clone();
        BatchStage<B> old = next[i].stage();
        next[i] = new Entry<>(name, stage, next[i].account());
        entries = next;
        return old;
    }

    /** The stage names, in order. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        for (Entry<B> e : entries) {
            n.add(e.name());
        }
        return n;
    }

    public BatchStage<B> get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : entries[i].stage();
    }

    /** The accounts, in stage order. */
    public List<StageAccount> accounts() {
        List<StageAccount> a = new ArrayList<>();
        for (Entry<B> e : entries) {
            a.add(e.account());
        }
        return a;
    }

    /**
     * Runs every stage over the batch (dataplane thread). One clock read per stage boundary, as
     * VPP's dispatch does: a stage's end is the next one's start, so a batch through n stages
     * reads the clock n + 1 times, not 2n; each stage's time also holds the few counter updates
     * of the boundary before it.
     */
    public void process(B batch) {
        Entry<B>[] es = entries; // one volatile read per batch
        long t = System.nanoTime();
        for (Entry<B> e : es) {
            int packets = packetsOf.applyAsInt(batch);
            if (packets == 0) {
                return;
            }
            long bytes = bytesOf.applyAsLong(batch);
            BatchStage<B> s = e.stage();
            long sim0 = s.simulationNs();
            long cycles0 = s.hardwareCycles();
            s.process(batch);
            long sim = s.simulationNs() - sim0;
            long now = System.nanoTime();
            e.account().add(packets, bytes, now - t - sim, s.hardwareCycles() - cycles0, sim);
            t = now;
        }
    }

    private int indexOf(String name) {
        Entry<B>[] es = entries;
        for (int i = 0; i < es.length; i++) {
            if (es[i].name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
