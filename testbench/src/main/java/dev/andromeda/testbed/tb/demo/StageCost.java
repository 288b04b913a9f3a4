package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.pipeline.StageAccount;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What one offloadable stage cost over a run, summed over every host and both
 * directions: the checksum stage is egress "checksum" and ingress
 * "rx-checksum", the copy stage egress "copy" and ingress "deliver", the crypto
 * stage the "psp" stages of egress, ingress and forwarding. CPU time is the
 * dataplane thread's (for hardware: descriptors and completions), the
 * simulator's wall time is kept apart, hardware time is modelled at the block's clock.
 */
public record StageCost(String stage, String impl, long packets, long cpuNs, long hwCycles, double hwNs,
                        long simNs) {

    public double cpuNsPerPacket() {
        return packets == 0 ? 0 : (double) cpuNs / packets;
    }

    public double hwCyclesPerPacket() {
        return packets == 0 ? 0 : (double) hwCycles / packets;
    }

    public double hwNsPerPacket() {
        return packets == 0 ? 0 : hwNs / packets;
    }

    /** The stage names making up each offloadable stage, by pipeline. */
    private record Part(String stage, Set<String> egress, Set<String> ingress, Set<String> forward) {
    }

    private static final List<Part> PARTS = List.of(
            new Part("checksum", Set.of("checksum"), Set.of("rx-checksum"), Set.of()),
            new Part("copy", Set.of("copy"), Set.of("deliver"), Set.of()),
            new Part("crypto", Set.of("psp"), Set.of("psp"), Set.of("psp")));

    /**
     * The three stages' costs over the hosts, under the given implementation of each. While the
     * crypto stage is software its AES-GCM runs on the coprocessors: their CPU is added to it.
     */
    static List<StageCost> of(Collection<Host> hosts, dev.andromeda.testbed.tb.scenario.Scenario scenario,
                              long coprocessorCpuNs) {
        List<StageCost> out = new ArrayList<>();
        for (Part p : PARTS) {
            long packets = 0;
            long cpu = 0;
            long cycles = 0;
            long sim = 0;
            String impl = null;
            for (Host h : hosts) {
                impl = h.stages().implementation(dev.andromeda.testbed.fastpath.offload.Stage.valueOf(
                        p.stage().toUpperCase(java.util.Locale.ROOT)));
                List<StageAccount> accounts = new ArrayList<>();
                h.egress().accounts().stream().filter(a -> p.egress().contains(a.name())).forEach(accounts::add);
                h.ingress().accounts().stream().filter(a -> p.ingress().contains(a.name())).forEach(accounts::add);
                h.fromCoprocessor().forEach(pl -> pl.accounts().stream()
                        .filter(a -> p.ingress().contains(a.name())).forEach(accounts::add));
                h.forward().accounts().stream().filter(a -> p.forward().contains(a.name())).forEach(accounts::add);
                for (StageAccount a : accounts) {
                    packets += a.packets();
                    cpu += a.cpuNs();
                    cycles += a.hardwareCycles();
                    sim += a.simulationNs();
                }
            }
            if (p.stage().equals("crypto") && "sw".equals(impl)) {
                cpu += coprocessorCpuNs;
            }
            double mhz = scenario.clockMHz(dev.andromeda.testbed.fastpath.offload.Stage.valueOf(
                    p.stage().toUpperCase(java.util.Locale.ROOT)));
            out.add(new StageCost(p.stage(), impl, packets, cpu, cycles, cycles * 1000.0 / mhz, sim));
        }
        return out;
    }
}
