package dev.andromeda.testbed.fastpath.offload;

/**
 * What every stage implementation has: a name, its counters, and a close that
 * releases what it holds (a hardware model, a simulator). Confined to one thread.
 */
public interface OffloadStage extends AutoCloseable {

    /** The implementation's name, e.g. {@code sw} or {@code rtl-ffm}. */
    String name();

    OffloadCounters counters();

    @Override
    void close();
}
