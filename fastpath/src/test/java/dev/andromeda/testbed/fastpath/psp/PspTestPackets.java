package dev.andromeda.testbed.fastpath.psp;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Packets and oracles for the PSP tests: GENEVE frames as Andromeda sends them
 * between hosts, the known-answer vectors of {@code psp-transport-vectors.txt},
 * and an independent seal written directly on the JDK's AES/GCM.
 */
public final class PspTestPackets {
    public static final int GENEVE_PORT = 6081;
    /** Outer Ethernet + IPv4 + UDP + GENEVE base header in front of the inner frame. */
    public static final int GENEVE_OUTER_BYTES = 14 + 20 + 8 + 8;

    private static final HexFormat HEX = HexFormat.of();

    private PspTestPackets() {
    }

    /**
     * Outer Ethernet | IPv4 (valid checksum) | UDP (random source port, 6081) |
     * GENEVE (VNI) | an inner Ethernet/IPv4/UDP frame of {@code innerLength}
     * bytes (at least 42) with random payload.
     */
    public static byte[] geneveFrame(Random random, int innerLength, int vni) {
        if (innerLength < 42) {
            throw new IllegalArgumentException("inner frame needs 42 bytes of headers: " + innerLength);
        }
        byte[] f = new byte[GENEVE_OUTER_BYTES + innerLength];
        random.nextBytes(f);
        int outerIpTotal = f.length - 14;
        ethernet(f, 0);
        ipv4(f, 14, outerIpTotal, 17, random);
        int udp = 34;
        put16(f, udp, 49152 + random.nextInt(16384));
        put16(f, udp + 2, GENEVE_PORT);
        put16(f, udp + 4, outerIpTotal - 20);
        put16(f, udp + 6, 0);
        int geneve = udp + 8;
        f[geneve] = 0; // version 0, no options
        f[geneve + 1] = 0;
        put16(f, geneve + 2, 0x6558); // transparent Ethernet bridging
        f[geneve + 4] = (byte) (vni >>> 16);
        f[geneve + 5] = (byte) (vni >>> 8);
        f[geneve + 6] = (byte) vni;
        f[geneve + 7] = 0;
        int inner = geneve + 8;
        ethernet(f, inner);
        ipv4(f, inner + 14, innerLength - 14, 17, random);
        put16(f, inner + 34 + 4, innerLength - 34);
        return f;
    }

    /** Ethernet | IPv4 carrying {@code protocol} (not UDP or TCP: e.g. ICMP) | random payload. */
    public static byte[] plainIpv4Frame(Random random, int protocol, int payloadLength) {
        byte[] f = new byte[34 + payloadLength];
        random.nextBytes(f);
        ethernet(f, 0);
        ipv4(f, 14, 20 + payloadLength, protocol, random);
        return f;
    }

    private static void ethernet(byte[] f, int at) {
        f[at] &= (byte) 0xFE; // unicast destination
        put16(f, at + 12, 0x0800);
    }

    private static void ipv4(byte[] f, int at, int total, int protocol, Random random) {
        f[at] = 0x45;
        f[at + 1] = 0;
        put16(f, at + 2, total);
        put16(f, at + 4, random.nextInt(65536));
        put16(f, at + 6, 0x4000);
        f[at + 8] = 64;
        f[at + 9] = (byte) protocol;
        put16(f, at + 10, 0);
        put16(f, at + 10, ipv4Checksum(f, at, 20));
    }

    /** RFC 1071 checksum of bytes [at, at+length); 0 over a header whose checksum is right. */
    public static int ipv4Checksum(byte[] f, int at, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += ((f[at + i] & 0xFF) << 8) | (i + 1 < length ? f[at + i + 1] & 0xFF : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    public static int get16(byte[] f, int at) {
        return ((f[at] & 0xFF) << 8) | (f[at + 1] & 0xFF);
    }

    public static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    /**
     * Seals an encapsulated frame (IV already in its header, Ethernet II, IPv4)
     * with the JDK's AES/GCM directly, following the PSP rules independently of
     * {@link PspTransport}: returns the sealed frame.
     */
    public static byte[] jdkSeal(byte[] encapsulated, byte[] key) {
        byte[] f = encapsulated.clone();
        int ihl = (f[14] & 0x0F) * 4;
        int psp = 14 + ihl + 8;
        int headerLength = 8 + 8 * (f[psp + 1] & 0xFF);
        int version = (f[psp + 3] >>> 2) & 0x0F;
        int afterBase = f.length - psp - 16 - 16;
        int aad = version < 2 ? 16 + (f[psp + 2] & 0x3F) * 4 : 16 + afterBase;
        int text = 16 + afterBase - aad;
        if (headerLength < 16) {
            throw new IllegalStateException("no PSP header at " + psp);
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] nonce = java.util.Arrays.copyOfRange(f, psp + 4, psp + 16);
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(f, psp, aad);
            byte[] out = gcm.doFinal(f, psp + aad, text);
            System.arraycopy(out, 0, f, psp + aad, out.length); // text, then the 16-byte tag into the ICV slot
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return f;
    }

    /** One known answer of {@code psp-transport-vectors.txt}. */
    public record Vector(String name, int spi, PspVersion version, int cryptOffset, boolean vc, long cookie,
                         long iv, byte[] derivedKey, byte[] cleartext, byte[] psp) {
        public PspSa sa() {
            return new PspSa(spi, version, derivedKey, cryptOffset, vc);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The vectors, in file order. */
    public static List<Vector> vectors() {
        List<Vector> out = new ArrayList<>();
        try (InputStream in = PspTestPackets.class.getResourceAsStream("psp-transport-vectors.txt")) {
            if (in == null) {
                throw new IllegalStateException("psp-transport-vectors.txt is not on the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line = r.readLine(); ; line = r.readLine()) {
                if (line == null || line.isBlank()) {
                    if (!fields.isEmpty()) {
                        out.add(vector(fields));
                        fields.clear();
                    }
                    if (line == null) {
                        break;
                    }
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf(" = ");
                fields.put(line.substring(0, eq), line.substring(eq + 3).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Vector vector(Map<String, String> f) {
        return new Vector(f.get("name"), Integer.parseUnsignedInt(f.get("spi"), 16),
                PspVersion.fromCode(Integer.parseInt(f.get("version"))), Integer.parseInt(f.get("cryptOffset")),
                f.get("vc").equals("1"), Long.parseUnsignedLong(f.get("cookie"), 16),
                Long.parseUnsignedLong(f.get("iv"), 16), HEX.parseHex(f.get("derivedKey")),
                HEX.parseHex(f.get("cleartext")), HEX.parseHex(f.get("psp")));
    }
}
