package dev.andromeda.testbed.coprocessor.ring;

/** What a coprocessor does with a work item. */
public enum WorkKind {
    /** Internet to VM: per-source DoS limit, then the Internet ACL. */
    INTERNET_INGRESS,
    /** VM to Internet: the Internet ACL, then WAN rate shaping (may hold the item). */
    INTERNET_EGRESS,
    /** A flow-table miss: the flow resolver's action comes back in {@link WorkItem#action()}. */
    FLOW_MISS,
    /** A batch of PSP AES-GCM operations run through the crypto stage; the batch comes back completed. */
    CRYPTO
}
