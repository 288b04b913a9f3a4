package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Seeded random frames, well-formed and not: parsed back field by field, and never a throw. */
class PacketParserPropertyTest {
    private static final HexFormat HEX = HexFormat.of();

    private final ParsedPacket p = new ParsedPacket();
    private final ParsedPacket inner = new ParsedPacket();

    @Test
    void parsesRandomWellFormedFramesBackFieldByField() {
        long seed = 0x5EED_0001L;
        Random random = new Random(seed);
        try (PacketPool pool = new PacketPool(1, 10_240)) {
            for (int i = 0; i < 5_000; i++) {
                RandomPackets.Sample sample = RandomPackets.wellFormed(random, i % 10 == 0 ? 9000 : 200);
                String context = "seed " + seed + ", sample " + i + ": " + sample;

                assertThat(PacketParser.parse(Frames.exactly(sample.frame()), 0, sample.frame().length, p)).as(context)
                        .isEqualTo(DropReason.NONE);
                sample.assertMatches(p, 0, context);

                long at = pool.frameOffset(0);
                MemorySegment.copy(sample.frame(), 0, pool.memory(), ValueLayout.JAVA_BYTE, at, sample.frame().length);
                assertThat(PacketParser.parse(pool.memory(), at, sample.frame().length, p)).as(context)
                        .isEqualTo(DropReason.NONE);
                sample.assertMatches(p, at, context + " in a pool buffer");
                ParsedPacketInvariants.assertConsistent(p, at, sample.frame().length, context);
            }
        }
    }

    @Test
    void rejectsEveryProperPrefixOfARandomUnpaddedFrame() {
        long seed = 0x5EED_0002L;
        Random random = new Random(seed);
        int checked = 0;
        while (checked < 300) {
            RandomPackets.Sample sample = RandomPackets.wellFormed(random, 40);
            if (sample.padded) {
                continue;
            }
            checked++;
            for (int n = 0; n < sample.frame().length; n++) {
                byte[] prefix = Arrays.copyOf(sample.frame(), n);
                assertThat(PacketParser.parse(Frames.exactly(prefix), 0, n, p))
                        .as("seed %d, %s, prefix %d", seed, sample, n).isNotEqualTo(DropReason.NONE);
            }
        }
    }

    @Test
    void neverThrowsOnTenThousandRandomByteArrays() {
        long seed = 0x5EED_0003L;
        Random random = new Random(seed);
        DropCounters counters = new DropCounters();
        for (int i = 0; i < 10_000; i++) {
            byte[] frame = plausibleGarbage(random);
            parseAndCheck(frame, counters, "seed " + seed + ", array " + i);
        }
        assertThat(counters.total() + counters.accepted()).isEqualTo(10_000);
        // Not asserted beyond sanity, but the garbage must reach deep layers to be worth anything.
        assertThat(counters.get(DropReason.IPV4_BAD_HEADER_CHECKSUM) + counters.accepted()).as(counters.toString())
                .isPositive();
    }

    @Test
    void neverThrowsOnTenThousandMutationsOfWellFormedFrames() {
        long seed = 0x5EED_0004L;
        Random random = new Random(seed);
        DropCounters counters = new DropCounters();
        for (int i = 0; i < 10_000; i++) {
            byte[] frame = mutate(random, RandomPackets.wellFormed(random, 120).frame());
            parseAndCheck(frame, counters, "seed " + seed + ", mutation " + i);
        }
        assertThat(counters.total() + counters.accepted()).isEqualTo(10_000);
        assertThat(counters.accepted()).as(counters.toString()).isPositive();
        assertThat(counters.total()).as(counters.toString()).isPositive();
    }

    private void parseAndCheck(byte[] frame, DropCounters counters, String context) {
        String c = context + ", bytes " + HEX.formatHex(frame);
        MemorySegment m = Frames.exactly(frame);
        DropReason[] reason = new DropReason[1];
        assertThatCode(() -> reason[0] = PacketParser.parse(m, 0, frame.length, p)).as(c).doesNotThrowAnyException();
        assertThat(reason[0]).as(c).isNotNull();
        counters.count(reason[0]);
        if (reason[0] == DropReason.NONE) {
            ParsedPacketInvariants.assertConsistent(p, 0, frame.length, c);
            if (p.isGeneve()) {
                assertThatCode(() -> PacketParser.parse(m, p.innerOffset(), p.innerLength(), inner)).as(c)
                        .doesNotThrowAnyException();
            }
        }
    }

    /**
     * Random bytes nudged towards the parser's deeper layers: a real
     * ethertype, a plausible version nibble, and sometimes a consistent IPv4
     * total length and checksum, so the garbage is not all stopped at L2.
     */
    private static byte[] plausibleGarbage(Random random) {
        byte[] frame = new byte[random.nextInt(257)];
        random.nextBytes(frame);
        if (frame.length < 15 || random.nextInt(4) == 0) {
            return frame;
        }
        int[] etherTypes = {Ethernet.TYPE_IPV4, Ethernet.TYPE_IPV6, Ethernet.TYPE_VLAN, Ethernet.TYPE_QINQ};
        int etherType = etherTypes[random.nextInt(etherTypes.length)];
        frame[12] = (byte) (etherType >>> 8);
        frame[13] = (byte) etherType;
        int l3 = 14;
        if (etherType == Ethernet.TYPE_VLAN || etherType == Ethernet.TYPE_QINQ) {
            if (frame.length < 19) {
                return frame;
            }
            int innerType = random.nextBoolean() ? Ethernet.TYPE_IPV4 : Ethernet.TYPE_IPV6;
            frame[16] = (byte) (innerType >>> 8);
            frame[17] = (byte) innerType;
            etherType = innerType;
            l3 = 18;
        }
        if (etherType == Ethernet.TYPE_IPV6) {
            frame[l3] = (byte) (0x60 | (frame[l3] & 0x0F));
            if (frame.length >= l3 + 40 && random.nextBoolean()) {
                int payloadLength = frame.length - l3 - 40;
                frame[l3 + 4] = (byte) (payloadLength >>> 8);
                frame[l3 + 5] = (byte) payloadLength;
                int[] next = {0, 6, 17, 43, 44, 58, 60};
                frame[l3 + 6] = (byte) next[random.nextInt(next.length)];
            }
            return frame;
        }
        int ihl = 5 + random.nextInt(11);
        frame[l3] = (byte) (0x40 | ihl);
        if (frame.length >= l3 + ihl * 4 && random.nextBoolean()) {
            int totalLength = frame.length - l3;
            frame[l3 + 2] = (byte) (totalLength >>> 8);
            frame[l3 + 3] = (byte) totalLength;
            int[] protocols = {1, 6, 17};
            frame[l3 + 9] = (byte) protocols[random.nextInt(protocols.length)];
            frame[l3 + 6] &= (byte) 0x40; // mostly unfragmented
            frame[l3 + 7] = 0;
            frame[l3 + 10] = 0;
            frame[l3 + 11] = 0;
            int checksum = Frames.rfc1071(frame, l3, ihl * 4);
            frame[l3 + 10] = (byte) (checksum >>> 8);
            frame[l3 + 11] = (byte) checksum;
        }
        return frame;
    }

    private static byte[] mutate(Random random, byte[] frame) {
        byte[] mutated = frame.clone();
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations && mutated.length > 0; i++) {
            switch (random.nextInt(6)) {
                case 0 -> mutated[random.nextInt(mutated.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                case 2 -> mutated[random.nextInt(mutated.length)] = (byte) (random.nextBoolean() ? 0x00 : 0xFF);
                case 3 -> mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length + 1));
                case 4 -> mutated = Arrays.copyOf(mutated, mutated.length + 1 + random.nextInt(16));
                default -> {
                    // A length field set to something near what it was: the likeliest lie.
                    int at = random.nextInt(mutated.length);
                    mutated[at] = (byte) (mutated[at] + random.nextInt(5) - 2);
                }
            }
        }
        return mutated;
    }
}
