package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.OffloadProvider;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.OffloadStage;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareChecksum;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareCopy;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;

/**
 * The offload stages a host runs now, chosen by a {@link StageMix}, with the
 * software ones beside them for packets under a stage's threshold. Confined to
 * the host's thread (hardware models are); swapped between batches.
 */
final class HostOffloads implements AutoCloseable {
    final StageMix mix;
    final ChecksumOffload checksum;
    final CopyOffload copy;
    final CryptoOffload crypto;
    final SoftwareChecksum swChecksum;
    final SoftwareCopy swCopy;
    final CryptoOffload swCrypto;
    /**
     * Each stage's threshold and whether it runs in software, read out of the mix once: the
     * per-packet test must not unbox an Integer from an EnumMap (issue 11).
     */
    private final int[] threshold = new int[Stage.values().length];
    private final boolean[] software = new boolean[Stage.values().length];
    /** {@code checksum=nic}: egress checksums go to the NIC port; everything else in software. */
    private final boolean checksumAtNic;
    /**
     * {@code crypto=nic}: PSP's seal and open go to the NIC port for the SAs it takes; the
     * rest (SAs it has no slot or cipher for) in software, as {@code crypto=sw} does them.
     */
    private final boolean cryptoAtNic;

    HostOffloads(StageMix mix, OffloadOptions options) {
        this.mix = mix;
        for (Stage s : Stage.values()) {
            threshold[s.ordinal()] = mix.threshold(s);
            software[s.ordinal()] = "sw".equals(mix.implementation(s))
                    || StageMix.NIC.equals(mix.implementation(s));
        }
        checksumAtNic = StageMix.NIC.equals(mix.implementation(Stage.CHECKSUM));
        cryptoAtNic = StageMix.NIC.equals(mix.implementation(Stage.CRYPTO));
        swChecksum = (SoftwareChecksum) Offloads.open(ChecksumOffloadProvider.class, "sw", options);
        swCopy = (SoftwareCopy) Offloads.open(CopyOffloadProvider.class, "sw", options);
        swCrypto = Offloads.open(CryptoOffloadProvider.class, "sw", options);
        checksum = pick(ChecksumOffloadProvider.class, Stage.CHECKSUM, swChecksum, options);
        copy = pick(CopyOffloadProvider.class, Stage.COPY, swCopy, options);
        crypto = pick(CryptoOffloadProvider.class, Stage.CRYPTO, swCrypto, options);
    }

    private <S extends OffloadStage, P extends OffloadProvider<S>> S pick(
            Class<P> type, Stage stage, S software, OffloadOptions options) {
        String name = mix.implementation(stage);
        return name.equals("sw") || name.equals(StageMix.NIC) ? software : Offloads.open(type, name, options);
    }

    /** Whether an egress packet of this length leaves its checksum to the NIC port ({@code checksum=nic}). */
    boolean checksumAtNic(int length) {
        return checksumAtNic && length >= threshold[Stage.CHECKSUM.ordinal()];
    }

    /** Whether PSP's crypto goes to the NIC port ({@code crypto=nic}) for the SAs it takes. */
    boolean cryptoAtNic() {
        return cryptoAtNic;
    }

    /** Whether the stage runs in software (then PSP's crypto may go to a coprocessor). */
    boolean inSoftware(Stage stage) {
        return software[stage.ordinal()];
    }

    /** Whether a packet of this length uses the chosen implementation (else software). */
    boolean offloaded(Stage stage, int length) {
        return length >= threshold[stage.ordinal()];
    }

    /**
     * Whether a packet of this length is done in software -- the stage is {@code sw}, or the
     * packet is under its threshold -- so the host's stage does it straight from its batch with
     * the software stage's code, no descriptor written and read back.
     */
    boolean inSoftware(Stage stage, int length) {
        return software[stage.ordinal()] || length < threshold[stage.ordinal()];
    }

    @Override
    public void close() {
        for (OffloadStage s : new OffloadStage[] {checksum, copy, crypto}) {
            if (s != swChecksum && s != swCopy && s != swCrypto) {
                s.close();
            }
        }
        swChecksum.close();
        swCopy.close();
        swCrypto.close();
    }
}
