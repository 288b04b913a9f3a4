package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.psp.PspVersion;
import dev.andromeda.testbed.tb.scenario.Scenario;

import java.util.Random;

/**
 * The PSP keys of a scenario's hosts: every host derives its SAs from the same two master keys,
 * drawn from the scenario's seed, so the hosts of one network agree on them whether they run in
 * one JVM (the demo) or as separate processes (a cluster). Runs are reproducible.
 */
public final class PspKeys {
    private PspKeys() {
    }

    /** Configures {@code h} for the scenario's encrypted networks, with the addresses and SPIs of hosts 1..hostCount. */
    public static void configure(Scenario s, int hostCount, Host h) {
        int[] vnis = s.networks().stream().filter(Scenario.Network::psp).mapToInt(Scenario.Network::vni).toArray();
        if (vnis.length == 0) {
            return;
        }
        Random r = new Random(s.seed() ^ 0x5053_5021L);
        byte[] k0 = new byte[32];
        byte[] k1 = new byte[32];
        r.nextBytes(k0);
        r.nextBytes(k1);
        int[] ips = new int[hostCount];
        int[] spis = new int[hostCount];
        for (int id = 1; id <= hostCount; id++) {
            ips[id - 1] = DemoTopology.hostIp(id);
            spis[id - 1] = (id % 2 == 0 ? 0x8000_0000 : 0) | 0x1000 | id; // the SPI's top bit picks the master key
        }
        h.configurePsp(k0, k1, PspVersion.AES_GCM_128, vnis, ips, spis);
    }
}
