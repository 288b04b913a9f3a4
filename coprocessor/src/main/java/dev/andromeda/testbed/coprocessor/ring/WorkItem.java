package dev.andromeda.testbed.coprocessor.ring;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;

/**
 * A reusable, mutable description of one piece of coprocessor work. It refers to the packet,
 * it does not hold it: {@code buffer} is the fast path's opaque buffer handle, and
 * {@code (offset, length)} locate the packet in the fast path's off-heap pool (a
 * {@link java.lang.foreign.MemorySegment} the VM's coprocessor is given once). The header fields
 * the coprocessor needs were parsed by the fast path already and travel inline, so no handler
 * re-parses the packet.
 *
 * <pre>
 *  written by the fast path (before commit)       written by the coprocessor (before its result is published)
 *  kind, buffer, offset, length, cookie            verdict, dropReason, action
 *  vni, srcIp, dstIp, srcPort, dstPort, protocol
 *  batch (CRYPTO)
 * </pre>
 *
 * <p><b>Memory ordering.</b> Every field is plain. An item crosses threads only through a JCTools
 * SPSC ring, whose offer is a store-release of the slot and whose poll a load-acquire of it, so
 * everything the sender wrote before the offer is visible to the receiver after the poll. The
 * two sides never touch an item at the same time: the fast path owns it from {@code claim} to
 * {@code commit} and again from result poll to recycle; the coprocessor owns it in between.
 * Items are created only by their {@link WorkRing}, as many as the ring has slots, and live as
 * long as it does: nothing is allocated per packet.
 */
public final class WorkItem {
    private final WorkRing ring;
    private final int id;

    private WorkKind kind;
    private int buffer;
    private long offset;
    private int length;
    private long cookie;
    private int vni;
    private int srcIp;
    private int dstIp;
    private int srcPort;
    private int dstPort;
    private int protocol;
    private CryptoBatch batch;

    private Verdict verdict = Verdict.PENDING;
    private DropReason dropReason;
    private long action;

    WorkItem(WorkRing ring, int id) {
        this.ring = ring;
        this.id = id;
    }

    /** Clears request and result; called by the ring when the fast path claims the item. */
    void reset() {
        kind = null;
        buffer = 0;
        offset = 0;
        length = 0;
        cookie = 0;
        vni = srcIp = dstIp = srcPort = dstPort = protocol = 0;
        batch = null;
        verdict = Verdict.PENDING;
        dropReason = null;
        action = 0;
    }

    /** The ring the item belongs to (and returns through). */
    public WorkRing ring() {
        return ring;
    }

    /** The item's fixed identity within its ring, 0 .. capacity-1. */
    public int id() {
        return id;
    }

    // ---- request, written by the fast path ----

    /** The packet by reference: kind of work, buffer handle, and where its bytes are in the pool. */
    public WorkItem packet(WorkKind kind, int buffer, long offset, int length) {
        this.kind = kind;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** The parsed outer headers the handlers need (ports 0..65535, protocol 6 TCP, 17 UDP, ...). */
    public WorkItem headers(int vni, int srcIp, int dstIp, int srcPort, int dstPort, int protocol) {
        this.vni = vni;
        this.srcIp = srcIp;
        this.dstIp = dstIp;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        this.protocol = protocol;
        return this;
    }

    /** The fast path's own tag (a sequence number, a flow index); returned untouched. */
    public WorkItem cookie(long cookie) {
        this.cookie = cookie;
        return this;
    }

    /** The batch a {@link WorkKind#CRYPTO} item carries; its memory must be reachable from other threads. */
    public WorkItem batch(CryptoBatch batch) {
        this.batch = batch;
        return this;
    }

    public WorkKind kind() {
        return kind;
    }

    public int buffer() {
        return buffer;
    }

    public long offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public long cookie() {
        return cookie;
    }

    public int vni() {
        return vni;
    }

    public int srcIp() {
        return srcIp;
    }

    public int dstIp() {
        return dstIp;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    public int protocol() {
        return protocol;
    }

    public CryptoBatch batch() {
        return batch;
    }

    // ---- result, written by the coprocessor ----

    public void pass() {
        verdict = Verdict.PASS;
        dropReason = null;
    }

    public void pass(long action) {
        pass();
        this.action = action;
    }

    public void drop(DropReason reason) {
        verdict = Verdict.DROP;
        dropReason = reason;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** Why the item was dropped, or null. */
    public DropReason dropReason() {
        return dropReason;
    }

    /** A flow miss's answer from the {@code FlowResolver}, opaque to the coprocessor. */
    public long action() {
        return action;
    }

    @Override
    public String toString() {
        return "WorkItem[" + ring.vmId() + "/" + ring.direction() + "#" + id + " " + kind + " buffer=" + buffer
                + " cookie=" + cookie + " " + verdict + (dropReason != null ? "(" + dropReason + ")" : "") + "]";
    }
}
