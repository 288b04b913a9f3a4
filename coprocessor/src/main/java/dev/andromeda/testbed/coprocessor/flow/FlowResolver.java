package dev.andromeda.testbed.coprocessor.flow;

/**
 * Answers a flow-table miss with the action the fast path should install. The control plane
 * implements it over the host's full programmed state (the fast path's flow table is a cache of
 * it, as in Andromeda), so it answers from memory: it runs on a coprocessor thread that serves
 * other VMs too, and must not block on the network. The action's encoding is the fast path's;
 * the coprocessor passes it through untouched. It may throw: the miss is then dropped and counted.
 * Called by several coprocessor threads at once (never twice at once for one VM).
 */
@FunctionalInterface
public interface FlowResolver {
    long resolve(int vmId, int vni, int srcIp, int dstIp, int srcPort, int dstPort, int protocol);
}
