package dev.andromeda.testbed.tb.demo;

import java.util.List;
import java.util.Map;

/**
 * One stage mix's run of a scenario: the scoreboard's verdict, what each
 * offloadable stage cost, the hoverboards' share of traffic per control-plane
 * interval, the offload flows the controller programmed, and every drop by
 * reason (none is expected; any is shown).
 *
 * @param misses           the on-demand model's flow misses, or null under another model
 * @param nic              what the NIC ports did, or null when the hosts have none
 * @param mix         canonical stage mix, e.g. {@code checksum=sw,copy=rtl-ffm,crypto=sw}
 * @param unavailable      why the mix could not run here, or null when it ran
 * @param dataplaneCpuNs   the hosts' threads, every pipeline stage
 * @param coprocessorCpuNs the coprocessor threads (PSP crypto while the crypto stage is software)
 */
public record RunResult(String mix, String unavailable, Scoreboard.Verdict verdict, List<StageCost> stages,
                        List<Interval> intervals, List<String> offloadFlows, Map<String, Long> drops,
                        long programVersions, long wallNs, long dataplaneCpuNs, long coprocessorCpuNs,
                        FlowMisses misses, NicWork nic) {

    /**
     * What the hosts' emulated NICs did in a run (summed over hosts), when the mix put them on
     * one: frames through them, checksums they inserted ({@code checksum=nic}), PSP frames they
     * sealed and opened ({@code crypto=nic}), error completions, and clock cycles simulated.
     */
    public record NicWork(long framesOut, long framesIn, long checksumsInserted, long pspSealed,
                          long pspOpened, long errors, long cycles) {
    }

    /**
     * On-demand programming's flow misses in a run. A miss is never a drop here: the packet goes
     * on through the hoverboards (counted in the intervals' "via hoverboard") while the host tells
     * the controller, which programs the flow; later packets of the flow then go direct.
     *
     * @param reported    misses the VM hosts sent to the controller
     * @param heldBack    misses of a flow already reported within the hold-off, not sent again
     * @param programmed  flows the controller programmed in answer
     * @param rateLimited misses over a tenant's rate, left on the hoverboards until asked again
     */
    public record FlowMisses(long reported, long heldBack, long programmed, long rateLimited) {
    }

    /**
     * @param interHostPackets packets the VM hosts put on the wire this interval
     * @param viaHoverboard    packets the hoverboards forwarded this interval
     * @param offloadFlows     offload flows in force at the interval's end
     */
    public record Interval(int index, long interHostPackets, long viaHoverboard, int offloadFlows) {
        public double hoverboardShare() {
            return interHostPackets == 0 ? 0 : (double) viaHoverboard / interHostPackets;
        }
    }

    static RunResult unavailable(String mix, String why) {
        return new RunResult(mix, why, null, List.of(), List.of(), List.of(), Map.of(), 0, 0, 0, 0, null, null);
    }

    public boolean ran() {
        return unavailable == null;
    }
}
