package dev.andromeda.testbed.hw.port;

import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code crypto=nic}: two hosts, each on the emulated NIC; PSP's seal is the sending NIC's
 * (the host writes the headers and IV, the NIC encrypts on the way to the wire and appends
 * the ICV) and the open the receiving NIC's (the host takes the headers off). Each side may
 * instead do its crypto in software: a frame the NIC sealed is then opened by the software
 * AES-GCM, and the reverse -- so each implementation checks the other's ciphertext and tag.
 * Every run delivers every guest frame as sent (with the checksum software completed), on
 * the plain network and on the encrypted one, with nothing dropped.
 */
class NicPspPortTest {

    private record Run(List<VirtioNic.Received> plain, List<VirtioNic.Received> psp, long sealed,
                       long opened) {
    }

    private static Run run(String senderMix, String receiverMix, long seed, List<byte[]> wantPlain,
                           List<byte[]> wantPsp) {
        try (NicHosts h = new NicHosts(senderMix, receiverMix)) {
            List<NicHosts.Sent> plainSent = new ArrayList<>();
            List<NicHosts.Sent> pspSent = new ArrayList<>();
            NicHosts.Delivered got = h.send(seed, plainSent, pspSent);
            h.assertClean(senderMix + " -> " + receiverMix + ", seed " + seed);
            plainSent.forEach(x -> wantPlain.add(TwoHosts.completed(x.frame(), x.tcp())));
            pspSent.forEach(x -> wantPsp.add(TwoHosts.completed(x.frame(), x.tcp())));
            return new Run(got.plain(), got.psp(), h.a.pspSealed(), h.b.pspOpened());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}, seed {2}")
    @CsvSource({
        "'crypto=nic,port=emu', 'crypto=nic,port=emu', 81",
        "'crypto=nic,port=emu', 'port=emu', 83",
        "'port=emu', 'crypto=nic,port=emu', 84",
        "'checksum=nic,crypto=nic,port=emu', 'checksum=nic,crypto=nic,port=emu', 85"
    })
    void theNicsSealAndOpenAndEveryFrameArrivesAsSent(String senderMix, String receiverMix, long seed) {
        List<byte[]> wantPlain = new ArrayList<>();
        List<byte[]> wantPsp = new ArrayList<>();
        Run run = run(senderMix, receiverMix, seed, wantPlain, wantPsp);
        String note = senderMix + " -> " + receiverMix + ", seed " + seed;
        assertThat(run.plain()).as(note).hasSize(wantPlain.size());
        assertThat(run.psp()).as(note).hasSize(wantPsp.size());
        for (int i = 0; i < wantPlain.size(); i++) {
            assertThat(run.plain().get(i).frame()).as("%s: GENEVE frame %d", note, i).isEqualTo(wantPlain.get(i));
            assertThat(run.psp().get(i).frame()).as("%s: PSP frame %d", note, i).isEqualTo(wantPsp.get(i));
        }
        // Every PSP frame was sealed by the sending NIC, opened by the receiving one, when
        // its mix says so; never otherwise.
        boolean nicSeals = senderMix.contains("crypto=nic");
        boolean nicOpens = receiverMix.contains("crypto=nic");
        assertThat(run.sealed()).as(note + ": sealed by the NIC").isEqualTo(nicSeals ? wantPsp.size() : 0);
        assertThat(run.opened()).as(note + ": opened by the NIC").isEqualTo(nicOpens ? wantPsp.size() : 0);
    }
}
