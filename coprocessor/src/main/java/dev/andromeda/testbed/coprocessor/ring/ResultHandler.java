package dev.andromeda.testbed.coprocessor.ring;

/**
 * What the fast path does with a finished item: forward, free, install a flow. Called on the
 * fast path thread; the item is recycled as soon as this returns, so keep nothing of it.
 */
@FunctionalInterface
public interface ResultHandler {
    void onResult(WorkItem item);
}
