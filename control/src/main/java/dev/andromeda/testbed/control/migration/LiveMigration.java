package dev.andromeda.testbed.control.migration;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.model.NetworkChange;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Live migration through the control plane (Andromeda §3.4): no packet is lost
 * while a VM moves between hosts.
 *
 * <ol>
 *   <li>The VM is plugged in at the destination (its memory would be copied
 *       meanwhile; not modelled).</li>
 *   <li>Blackout: the source unplugs the VM and hairpins every packet still
 *       arriving for it to the destination.</li>
 *   <li>Cluster management tells the VM controller the VM moved; the controller
 *       (on another thread, while traffic flows) derives and sends every host's
 *       (and hoverboard's) new program, which each host adopts at its next turn.</li>
 *   <li>Once every host runs that version -- no sender still sends to the source
 *       -- the source stops hairpinning.</li>
 * </ol>
 *
 * The hosts are single-threaded and run on the caller's thread: {@code turn}
 * is one turn of all of them (and of the traffic), called while the migration
 * waits for the hosts to converge, so packets keep flowing throughout.
 */
public final class LiveMigration {
    /** With work always at some coprocessor: end the hairpin after this many turns without one... */
    private static final int QUIET_TURNS = 50;
    /** ...and at least this long after every host ran the new program. */
    private static final long QUIET_NS = 20_000_000L;

    /**
     * @param nic            the VM's NIC at the destination
     * @param state          the desired state with the VM moved
     * @param hairpinNs      how long the source hairpinned (blackout start to every host reprogrammed)
     * @param hairpinned     packets the source sent on to the destination meanwhile
     */
    public record Result(VirtioNic nic, NetworkState state, long hairpinNs, long hairpinned) {
    }

    private LiveMigration() {
    }

    /**
     * Moves VM {@code vmId} from {@code source} to {@code destination} (host {@code toHostId}).
     *
     * @param agents the host agents whose convergence ends the hairpin (every host the VMC programs)
     * @throws IllegalArgumentException when the VM does not run on the source
     * @throws IllegalStateException    when the hosts do not converge within {@code timeoutNs}
     */
    public static Result migrate(VmcNode vmc, NetworkState state, int vmId, Host source, Host destination,
                                 int toHostId, Collection<HostAgent> agents, Runnable turn, long timeoutNs) {
        Vm vm = state.vm(vmId);
        if (vm == null) {
            throw new IllegalArgumentException("no VM " + vmId + " in the desired state");
        }
        VirtioNic old = source.vms().stream().filter(n -> n.port().port() == state.port(vmId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("VM " + vmId + " does not run on " + source.name()));
        NetworkState moved = Objects.requireNonNull(state).apply(new NetworkChange.MoveVm(vmId, toHostId));
        VirtioNic nic = destination.addVm(new VmPort(moved.port(vmId), vm.vni(), vm.ipv4(), vm.mac()));
        long hairpinnedBefore = source.counters().hairpinned();
        long t0 = System.nanoTime();
        source.migrateOut(old.port().port(), destination.ip(), destination.mac());
        // The controller works while traffic flows (hairpinned meanwhile), as it would on its own machine.
        CompletableFuture<Long> reprogrammed = CompletableFuture.supplyAsync(() -> {
            vmc.setState(moved);
            return vmc.programVersion();
        });
        while (!reprogrammed.isDone() || !agents.stream().allMatch(a -> a.runningVersion() >= reprogrammed.join())) {
            if (System.nanoTime() - t0 > timeoutNs) {
                throw new IllegalStateException("hosts did not converge on the VM's new location within "
                        + timeoutNs / 1_000_000 + " ms; the source keeps hairpinning");
            }
            turn.run();
        }
        // Packets sent before the last host adopted its program may still be on their way to the
        // source -- on the wire, or at a coprocessor (PSP sealing or opening). A host seen with
        // nothing at its coprocessors has finished all it took before; under steady PSP traffic
        // that may never be seen, so the hairpin also ends once it has been idle for a while.
        turn.run();
        turn.run();
        Set<Host> drained = new HashSet<>();
        long convergedAt = System.nanoTime();
        long lastHairpinned = source.counters().hairpinned();
        int quietTurns = 0;
        while (true) {
            for (HostAgent a : agents) {
                if (a.host().atCoprocessors() == 0) {
                    drained.add(a.host());
                }
            }
            if (drained.size() == agents.size()
                    || (quietTurns >= QUIET_TURNS && System.nanoTime() - convergedAt > QUIET_NS)) {
                break;
            }
            if (System.nanoTime() - t0 > timeoutNs) {
                throw new IllegalStateException("packets still at the coprocessors after " + timeoutNs / 1_000_000
                        + " ms; the source keeps hairpinning");
            }
            turn.run();
            long h = source.counters().hairpinned();
            quietTurns = h == lastHairpinned ? quietTurns + 1 : 0;
            lastHairpinned = h;
        }
        turn.run();
        source.endHairpin(vm.vni(), vm.ipv4());
        return new Result(nic, moved, System.nanoTime() - t0, source.counters().hairpinned() - hairpinnedBefore);
    }
}
