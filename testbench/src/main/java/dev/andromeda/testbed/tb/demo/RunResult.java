package dev.andromeda.testbed.tb.demo;

import java.util.List;
import java.util.Map;

/**
 * One stage mix's run of a scenario: the scoreboard's verdict, what each
 * offloadable stage cost, the hoverboards' share of traffic per control-plane
 * interval, the offload flows the controller programmed, and every drop by
 * reason (none is expected; any is shown).
 *
 * @param mix         canonical stage mix, e.g. {@code checksum=sw,copy=rtl-ffm,crypto=sw}
 * @param unavailable      why the mix could not run here, or null when it ran
 * @param dataplaneCpuNs   the hosts' threads, every pipeline stage
 * @param coprocessorCpuNs the coprocessor threads (PSP crypto while the crypto stage is software)
 */
public record RunResult(String mix, String unavailable, Scoreboard.Verdict verdict, List<StageCost> stages,
                        List<Interval> intervals, List<String> offloadFlows, Map<String, Long> drops,
                        long programVersions, long wallNs, long dataplaneCpuNs, long coprocessorCpuNs) {

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
        return new RunResult(mix, why, null, List.of(), List.of(), List.of(), Map.of(), 0, 0, 0, 0);
    }

    public boolean ran() {
        return unavailable == null;
    }
}
