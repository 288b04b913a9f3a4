/**
 * Andromeda's coprocessors: work that is CPU-heavy or has no tight latency target leaves the fast
 * path through per-VM SPSC rings ({@link dev.andromeda.testbed.coprocessor.ring}) to a pool of
 * floating worker threads ({@link dev.andromeda.testbed.coprocessor.CoprocessorPool}) that serve
 * the least recently served VM first and bill each VM its CPU time
 * ({@link dev.andromeda.testbed.coprocessor.sched}). The work: Internet ACL and DoS checks
 * ({@code acl}), WAN rate shaping ({@code shaping}), flow misses ({@code flow}) and crypto batches
 * ({@code crypto}). See the module's README for the threading and memory-ordering rules.
 */
package dev.andromeda.testbed.coprocessor;
