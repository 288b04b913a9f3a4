package dev.andromeda.testbed.hw;

import java.util.Map;

/**
 * The clock each block's hardware time is modelled at, from its synthesis: a block's cycles are
 * worth only what its own logic depth allows, not one clock for all.
 *
 * <p>The figures follow one rule, so they move together when a block is pipelined: yosys 0.23's
 * generic {@code synth} + {@code ltp -noff} depth of each block ({@code rtl/synth.sh}, recorded
 * in each datasheet), scaled from {@code dma_copy}'s design point -- 14 logic levels closing at
 * 250 MHz on an UltraScale+-class part (its datasheet) -- at the same delay per level. That is an
 * estimate, not a timing sign-off; the iCE40 place-and-route figures in the datasheets are the
 * measured ones for the small part. They check it: where a block routes on an iCE40
 * ({@code rtl/synth.sh --pnr hx8k}), its Fmax relative to dma_copy's on the same part must be at
 * least its modelled clock relative to 250 MHz, or its figure here is lowered to that ratio.
 * HX8K: dma_copy 81.2 MHz, csum_offload 91.5 MHz (8 KiB buffer) -- 1.13 measured against 0.88
 * modelled, so 219 MHz stands; aes_gcm fits no iCE40 (rtl/README.md). A block that instantiates
 * others (the NIC) is one clock domain: its depth is that of the whole, flattened, so its clock
 * is never faster than the slowest block inside it.
 */
public final class BlockClocks {
    /** dma_copy's design point: logic levels at the clock they close at. */
    static final int REFERENCE_LEVELS = 14;
    static final double REFERENCE_MHZ = 250;

    /** Logic depth from the last full synthesis of each block (rtl/synth.sh; see each datasheet). */
    private static final Map<String, Integer> LEVELS = Map.of(
            "dma_copy", 14,
            "csum_offload", 16,
            "aes_gcm", 35, // synth at the defaults (the buffer a RAM); 34 was at MAX_TEXT_BYTES = 1024 before
            // Its own logic (csum_offload's 16 and aes_gcm's 35 levels are not the longest): its
            // own descriptor check, from mem_size to the read address, is 67.
            "nic", 67);

    private BlockClocks() {
    }

    /** The block's logic depth from synthesis. */
    public static int levels(String block) {
        Integer l = LEVELS.get(block);
        if (l == null) {
            throw new IllegalArgumentException("no synthesis figures for block '" + block + "' (known: "
                    + new java.util.TreeSet<>(LEVELS.keySet()) + ")");
        }
        return l;
    }

    /** The clock the block's hardware time is modelled at, in MHz. */
    public static double mhz(String block) {
        return REFERENCE_MHZ * REFERENCE_LEVELS / levels(block);
    }
}
