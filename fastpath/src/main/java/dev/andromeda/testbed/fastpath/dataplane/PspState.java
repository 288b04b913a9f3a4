package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.psp.PspSa;
import dev.andromeda.testbed.fastpath.psp.PspTransport;
import dev.andromeda.testbed.fastpath.psp.PspVersion;

import dev.andromeda.testbed.fastpath.flow.FlowTable;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A host's PSP configuration: which virtual networks are encrypted, the
 * security association for sending to each host (by its IPv4 address; the
 * dataplane asks by the index in its flow table's host list, which differs from
 * host to host and program to program, so the index-to-SA view is rebuilt when
 * a new table is adopted, never per packet) and for receiving (by SPI), and the
 * IV counter -- one per host, never reused (PSP's IVs must be unique under a key).
 */
final class PspState {
    /** Bytes of the outer UDP + GENEVE headers left in clear after the PSP header (crypt offset 4 = 16 bytes). */
    static final int CRYPT_OFFSET = 4;

    final PspTransport transport = new PspTransport();
    private int[] encryptedVnis = new int[0];
    private final Map<Integer, PspSa> txByHostIp = new HashMap<>();
    private final LongKeyMap<PspSa> txByAddress = new LongKeyMap<>(); // the same, looked up per forwarded packet unboxed
    private FlowTable txTable;                  // the table txByIndex was resolved for
    private PspSa[] txByIndex = new PspSa[0];
    private PspSa[] rx = new PspSa[0];
    private int[] rxSpi = new int[0];
    private PhysicalPort rxSaPort;  // the port installRxSa last gave rxSaInstalled to
    private PspSa rxSaInstalled;
    private long ivPrefix;
    private long ivCounter = new java.security.SecureRandom().nextInt() & 0xFFFF_FFFFL;

    /**
     * @param hostIps  every host's IPv4 address
     * @param hostSpis the SPI each of them receives on
     * @param selfIp   this host's address (its SPI is the one it receives on)
     */
    void configure(byte[] masterKey0, byte[] masterKey1, PspVersion version, int[] vnis, int[] hostIps,
                   int[] hostSpis, int selfIp) {
        if (hostIps.length != hostSpis.length) {
            throw new IllegalArgumentException("one SPI per host: " + hostIps.length + " hosts, " + hostSpis.length
                    + " SPIs");
        }
        encryptedVnis = vnis.clone();
        Arrays.sort(encryptedVnis);
        txByHostIp.clear();
        PspSa self = null;
        int selfSpi = 0;
        for (int h = 0; h < hostIps.length; h++) {
            PspSa sa = PspSa.derive(masterKey0, masterKey1, hostSpis[h], version, CRYPT_OFFSET);
            txByHostIp.put(hostIps[h], sa);
            if (hostIps[h] == selfIp) {
                self = sa;
                selfSpi = hostSpis[h];
            }
        }
        if (self == null) {
            throw new IllegalArgumentException("this host's address is not among the hosts given");
        }
        txTable = null;
        ivPrefix = (long) selfIp << 32;
        txByAddress.clear();
        for (int h = 0; h < hostIps.length; h++) {
            txByAddress.put(hostIps[h], txByHostIp.get(hostIps[h]));
        }
        rx = new PspSa[] {self};
        rxSpi = new int[] {selfSpi};
    }

    boolean encrypts(int vni) {
        return encryptedVnis.length > 0 && Arrays.binarySearch(encryptedVnis, vni) >= 0;
    }

    /** The SA for sending to the host at {@code address}, or null if it has none. */
    PspSa txSaByAddress(int address) {
        return txByAddress.get(address);
    }

    /** The SA for sending to host {@code index} of {@code table}'s host list, or null if it has none. */
    PspSa txSa(FlowTable table, int index) {
        if (table != txTable) {
            PspSa[] byIndex = new PspSa[table.hosts()];
            for (int i = 0; i < byIndex.length; i++) {
                byIndex[i] = txByHostIp.get(table.hostIp(i));
            }
            txByIndex = byIndex;
            txTable = table;
        }
        return index < txByIndex.length ? txByIndex[index] : null;
    }

    /**
     * Gives the port this host's receiving SA ({@code crypto=nic}), once per port and
     * configuration, so the NIC opens what is sent to this host.
     */
    void installRxSa(PhysicalPort port) {
        if (rx.length > 0 && (port != rxSaPort || rx[0] != rxSaInstalled)) {
            port.pspSlot(rx[0]);
            rxSaPort = port;
            rxSaInstalled = rx[0];
        }
    }

    PspSa rxSa(int spi) {
        for (int i = 0; i < rxSpi.length; i++) {
            if (rxSpi[i] == spi) {
                return rx[i];
            }
        }
        return null;
    }

    /**
     * The next IV: this host's address in the high 32 bits and a counter in the low 32. Every
     * host sending to a receiver seals under the receiver's SA key (derived from its SPI), so
     * the address keeps two senders' nonces apart; the counter starts at a random point so a
     * restarted host does not replay its earlier IVs (PSP proper rotates keys; not modelled).
     */
    long nextIv() {
        return ivPrefix | (ivCounter++ & 0xFFFF_FFFFL);
    }
}
