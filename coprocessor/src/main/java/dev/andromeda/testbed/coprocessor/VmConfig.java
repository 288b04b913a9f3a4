package dev.andromeda.testbed.coprocessor;

import dev.andromeda.testbed.coprocessor.acl.AclRule;

import java.util.List;

/**
 * One VM's coprocessor settings.
 *
 * @param vmId                the VM's number on this host
 * @param ringCapacity        slots per work ring (rounded up to a power of two, at least 4)
 * @param wanBytesPerSecond   WAN shaping rate, bytes per second
 * @param wanBurstBytes       WAN shaping burst, bytes (a packet larger than this is dropped)
 * @param wanQueueLimit       packets held over the rate before dropping (0: police, never hold)
 * @param aclRules            Internet ACL, first match wins
 * @param aclDefaultAllow     the verdict when no rule matches
 * @param dosPacketsPerSecond per-source packet rate on Internet ingress
 * @param dosBurst            per-source packet burst
 * @param dosSources          sources tracked (a power of two)
 * @param dosWays             slots per set of the source table (a power of two dividing dosSources)
 * @param flowMissesPerSecond flow misses a second the VM may send to the resolver
 * @param flowMissBurst       flow-miss burst
 */
public record VmConfig(int vmId, int ringCapacity, long wanBytesPerSecond, long wanBurstBytes, int wanQueueLimit,
                       List<AclRule> aclRules, boolean aclDefaultAllow, long dosPacketsPerSecond, long dosBurst,
                       int dosSources, int dosWays, long flowMissesPerSecond, long flowMissBurst) {

    public VmConfig {
        aclRules = List.copyOf(aclRules);
    }

    /**
     * 256-slot rings; WAN 10 Gbit/s with a 256 KiB burst and 128 packets held; no ACL rules,
     * default allow; 100,000 packets/s per source, burst 1,000, 4,096 sources in sets of 8;
     * 10,000 flow misses/s, burst 100.
     */
    public static VmConfig defaults(int vmId) {
        return new VmConfig(vmId, 256, 1_250_000_000L, 256 * 1024, 128, List.of(), true, 100_000, 1_000,
                4096, 8, 10_000, 100);
    }

    public VmConfig withRingCapacity(int capacity) {
        return new VmConfig(vmId, capacity, wanBytesPerSecond, wanBurstBytes, wanQueueLimit, aclRules,
                aclDefaultAllow, dosPacketsPerSecond, dosBurst, dosSources, dosWays, flowMissesPerSecond,
                flowMissBurst);
    }

    public VmConfig withWan(long bytesPerSecond, long burstBytes, int queueLimit) {
        return new VmConfig(vmId, ringCapacity, bytesPerSecond, burstBytes, queueLimit, aclRules, aclDefaultAllow,
                dosPacketsPerSecond, dosBurst, dosSources, dosWays, flowMissesPerSecond, flowMissBurst);
    }

    public VmConfig withAcl(List<AclRule> rules, boolean defaultAllow) {
        return new VmConfig(vmId, ringCapacity, wanBytesPerSecond, wanBurstBytes, wanQueueLimit, rules, defaultAllow,
                dosPacketsPerSecond, dosBurst, dosSources, dosWays, flowMissesPerSecond, flowMissBurst);
    }

    public VmConfig withDos(long packetsPerSecond, long burst, int sources, int ways) {
        return new VmConfig(vmId, ringCapacity, wanBytesPerSecond, wanBurstBytes, wanQueueLimit, aclRules,
                aclDefaultAllow, packetsPerSecond, burst, sources, ways, flowMissesPerSecond, flowMissBurst);
    }

    public VmConfig withFlowMissLimit(long missesPerSecond, long burst) {
        return new VmConfig(vmId, ringCapacity, wanBytesPerSecond, wanBurstBytes, wanQueueLimit, aclRules,
                aclDefaultAllow, dosPacketsPerSecond, dosBurst, dosSources, dosWays, missesPerSecond, burst);
    }
}
