package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.psp.PspSa;
import dev.andromeda.testbed.fastpath.psp.PspTransport;
import dev.andromeda.testbed.fastpath.psp.PspVersion;

import java.util.Arrays;

/**
 * A host's PSP configuration: which virtual networks are encrypted, the
 * security association for sending to each host (by its index in the flow
 * table's host list) and for receiving (by SPI), and the IV counter -- one per
 * host, never reused (PSP's IVs must be unique under a key).
 */
final class PspState {
    /** Bytes of the outer UDP + GENEVE headers left in clear after the PSP header (crypt offset 4 = 16 bytes). */
    static final int CRYPT_OFFSET = 4;

    final PspTransport transport = new PspTransport();
    private int[] encryptedVnis = new int[0];
    private PspSa[] tx = new PspSa[0];
    private PspSa[] rx = new PspSa[0];
    private int[] rxSpi = new int[0];
    private long iv;

    /**
     * @param hostSpis the SPI each host (by index) receives on; this host's own is {@code hostSpis[self]}
     */
    void configure(byte[] masterKey0, byte[] masterKey1, PspVersion version, int[] vnis, int[] hostSpis, int self) {
        encryptedVnis = vnis.clone();
        Arrays.sort(encryptedVnis);
        tx = new PspSa[hostSpis.length];
        for (int h = 0; h < hostSpis.length; h++) {
            tx[h] = PspSa.derive(masterKey0, masterKey1, hostSpis[h], version, CRYPT_OFFSET);
        }
        rx = new PspSa[] {tx[self]};
        rxSpi = new int[] {hostSpis[self]};
    }

    boolean encrypts(int vni) {
        return encryptedVnis.length > 0 && Arrays.binarySearch(encryptedVnis, vni) >= 0;
    }

    PspSa txSa(int host) {
        return host < tx.length ? tx[host] : null;
    }

    PspSa rxSa(int spi) {
        for (int i = 0; i < rxSpi.length; i++) {
            if (rxSpi[i] == spi) {
                return rx[i];
            }
        }
        return null;
    }

    long nextIv() {
        return ++iv;
    }
}
