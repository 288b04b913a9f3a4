package dev.andromeda.testbed.tb.cosim;

/**
 * One co-simulation run: a block, an implementation, a seed.
 *
 * @param firstMismatch what differed first, or null
 */
public record CosimOutcome(int jobs, int mismatches, long cycles, long simWallNs, String firstMismatch) {
}
