package dev.andromeda.testbed.hw.port;

import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.hw.contract.Rfc1071;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code checksum=nic}: two hosts, each on the emulated NIC, the sender's checksum stage
 * leaving virtio NEEDS_CSUM to the NIC (CSUM_INSERT descriptors) for its plain GENEVE
 * traffic and computing it in software for its PSP traffic (the NIC would sum ciphertext).
 * Every frame the receiving VMs get is the guest's with its L4 checksum completed as RFC
 * 1071 says (test-side {@link Rfc1071}, written apart), DATA_VALID set by the receiver's own
 * verification -- from the NIC's checksum-complete for the plain traffic -- and the same
 * frames arrive under all-{@code sw} over the same NICs.
 */
class NicChecksumPortTest {

    private record Run(List<VirtioNic.Received> plain, List<VirtioNic.Received> psp, long inserted,
                       long toNic, long fromNic) {
    }

    private static Run run(String mix, long seed, List<byte[]> wantPlain, List<byte[]> wantPsp) {
        try (NicHosts h = new NicHosts(mix, mix)) {
            List<NicHosts.Sent> plainSent = new ArrayList<>();
            List<NicHosts.Sent> pspSent = new ArrayList<>();
            NicHosts.Delivered got = h.send(seed, plainSent, pspSent);
            h.assertClean(mix + ", seed " + seed);
            if (wantPlain != null) {
                plainSent.forEach(x -> wantPlain.add(completed(x.frame(), x.csum(), x.tcp())));
                pspSent.forEach(x -> wantPsp.add(completed(x.frame(), x.csum(), x.tcp())));
            }
            return new Run(got.plain(), got.psp(), h.a.checksumsInserted(), h.net.a.counters().checksumsToNic(),
                    h.net.b.counters().checksumsFromNic());
        }
    }

    /** The guest's frame with the checksum it asked for: RFC 1071 from csum_start, at csum_start + csum_offset. */
    private static byte[] completed(byte[] f, int[] c, boolean tcp) {
        return Rfc1071.withWord(f, c[0] + c[1], Rfc1071.transmitted(Rfc1071.checksum(f, c[0], 0), !tcp));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {71, 72})
    void theNicInsertsTheChecksumsAndTheFramesAreTheSoftwareOnes(long seed) {
        List<byte[]> wantPlain = new ArrayList<>();
        List<byte[]> wantPsp = new ArrayList<>();
        Run nic = run("checksum=nic,port=emu", seed, wantPlain, wantPsp);
        Run sw = run("port=emu", seed, null, null);
        String note = "seed " + seed;
        assertThat(nic.plain()).as(note).hasSize(wantPlain.size());
        assertThat(nic.psp()).as(note).hasSize(wantPsp.size());
        assertThat(sw.plain()).as(note).hasSize(wantPlain.size());
        for (int i = 0; i < wantPlain.size(); i++) {
            assertThat(nic.plain().get(i).frame()).as("%s: GENEVE frame %d", note, i).isEqualTo(wantPlain.get(i));
            assertThat(nic.plain().get(i).dataValid()).as("%s: GENEVE frame %d", note, i).isTrue();
            assertThat(nic.psp().get(i).frame()).as("%s: PSP frame %d", note, i).isEqualTo(wantPsp.get(i));
            assertThat(sw.plain().get(i).frame()).as("%s: sw frame %d", note, i).isEqualTo(nic.plain().get(i).frame());
            assertThat(sw.psp().get(i).frame()).as("%s: sw frame %d", note, i).isEqualTo(nic.psp().get(i).frame());
        }
        // The NIC inserted the plain network's checksums, and only those; under sw, none.
        assertThat(nic.inserted()).as(note).isEqualTo(wantPlain.size());
        assertThat(nic.toNic()).as(note).isEqualTo(wantPlain.size());
        assertThat(sw.inserted()).as(note).isZero();
        assertThat(sw.toNic()).as(note).isZero();
        // On receipt, the plain network's checksums were verified from the NIC's checksum-complete
        // (DATA_VALID above), the PSP network's in software (the NIC summed ciphertext).
        assertThat(nic.fromNic()).as(note).isEqualTo(wantPlain.size());
        assertThat(sw.fromNic()).as(note).isZero();
    }
}
