package dev.andromeda.testbed.coprocessor.ring;

/**
 * Where a coprocessor handler puts an item it has decided (verdict set): the VM's service counts it
 * and publishes it to the item's result ring. Called only by the thread serving the VM.
 */
@FunctionalInterface
public interface ResultSink {
    void complete(WorkItem item);
}
