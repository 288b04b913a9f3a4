package dev.andromeda.testbed.control.agent;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * A host's last-known-good programs on disk, so a restarted host starts from
 * what it ran (fail static). Two files in one directory: {@value #CURRENT}, the
 * newest program, and {@value #PREVIOUS}, the one before it.
 *
 * <pre>
 *  0       4        8        12       16
 * +-------+--------+--------+--------+------------------------------+
 * | magic | format | length | CRC32C | body: FlowProgram.encode()   |
 * +-------+--------+--------+--------+------------------------------+
 * </pre>
 *
 * A write never leaves a half-written checkpoint under either name: the new
 * file is written to a temp file in the same directory and forced to disk,
 * the current one (if known good) is renamed to {@value #PREVIOUS}, and the temp
 * file is renamed atomically to {@value #CURRENT}; then the directory is forced.
 * A crash between the two renames leaves only {@value #PREVIOUS}, which
 * {@link #restore()} falls back to.
 *
 * <p>Not thread-safe: one {@link HostAgent} owns it.
 */
public final class Checkpoints {
    public static final String CURRENT = "state.ckpt";
    public static final String PREVIOUS = "state.ckpt.prev";
    static final String TEMP = "state.ckpt.tmp";
    /** The host's epoch floor, apart from the programs: a master may fence a host without programming it. */
    public static final String EPOCH_FLOOR = "epoch-floor";
    static final String EPOCH_FLOOR_TEMP = "epoch-floor.tmp";
    /**
     * The floor file's only line: {@code andromeda-epoch-floor 2 <epoch> <owner> <crc32c of "epoch owner">},
     * the owner being the master whose fence set the floor ({@code -}: not known). Format 1 (no owner)
     * is still read.
     */
    static final String EPOCH_FLOOR_HEAD = "andromeda-epoch-floor 2 ";
    static final String EPOCH_FLOOR_HEAD_1 = "andromeda-epoch-floor 1 ";

    /**
     * A host's epoch floor and who set it: the incarnation of the master whose fence raised it ("" when
     * not known: raised by a program, or read from a format-1 file). A master that finds a host's floor
     * equal to its own epoch but set by another incarnation knows two masters were given the same
     * epoch (ZooKeeper's counter went back).
     */
    public record Floor(long epoch, String owner) {
        public static final Floor NONE = new Floor(0, "");

        public Floor {
            if (owner.isEmpty() || owner.equals("-")) {
                owner = "";
            } else if (!owner.matches("[!-~]+")) { // one token of printable ASCII: the file is one line
                throw new IllegalArgumentException("epoch floor owner must be printable ASCII without spaces: '"
                        + owner + "'");
            }
        }
    }

    static final int MAGIC = 0x414E4350; // "ANCP"
    static final int FORMAT = 1;
    static final int HEADER_BYTES = 16;
    /** Far beyond any real program; a larger length field is damage, not data. */
    static final int MAX_BODY = 1 << 30;

    private static final System.Logger LOG = System.getLogger(Checkpoints.class.getName());

    private final Path dir;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong badCheckpoints = new AtomicLong();
    /** Whether {@value #CURRENT} is known good (we wrote it, or restore verified it). */
    private boolean currentGood;

    public Checkpoints(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(TEMP)); // left by a crash mid-write: never a checkpoint
        Files.deleteIfExists(dir.resolve(EPOCH_FLOOR_TEMP));
    }

    /**
     * Writes the host's epoch floor (temp file, forced, renamed), so a restarted host keeps refusing
     * the masters it refused before, even those whose epoch is above its last program's.
     */
    public void writeEpochFloor(Floor floor) throws IOException {
        String body = floor.epoch() + " " + (floor.owner().isEmpty() ? "-" : floor.owner());
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path tmp = dir.resolve(EPOCH_FLOOR_TEMP);
        ByteBuffer bytes = ByteBuffer.wrap((EPOCH_FLOOR_HEAD + body + " " + Long.toHexString(crc.getValue()) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        move(tmp, dir.resolve(EPOCH_FLOOR));
        forceDirectory();
    }

    /**
     * The epoch floor last written, or {@link Floor#NONE} when there is none. A damaged or foreign
     * file is reported (logged, counted in {@link #badCheckpoints()}) and read as none: the programs'
     * own epochs still fence.
     */
    public Floor readEpochFloor() {
        Path f = dir.resolve(EPOCH_FLOOR);
        if (!Files.exists(f)) {
            return Floor.NONE;
        }
        try {
            String line = Files.readString(f, java.nio.charset.StandardCharsets.US_ASCII).strip();
            boolean v1 = line.startsWith(EPOCH_FLOOR_HEAD_1);
            if (!v1 && !line.startsWith(EPOCH_FLOOR_HEAD)) {
                throw new IOException("not an epoch floor of format 1 or 2: "
                        + line.substring(0, Math.min(40, line.length())));
            }
            String[] parts = line.substring(EPOCH_FLOOR_HEAD.length()).split(" ");
            int fields = v1 ? 1 : 2;
            if (parts.length != fields + 1) {
                throw new IOException("expected " + (fields + 1) + " fields after the format, found " + parts.length);
            }
            String body = String.join(" ", java.util.Arrays.copyOf(parts, fields));
            CRC32C crc = new CRC32C();
            crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (!Long.toHexString(crc.getValue()).equals(parts[fields])) {
                throw new IOException("checksum does not match");
            }
            return new Floor(Long.parseLong(parts[0]), v1 ? "" : parts[1]);
        } catch (IOException | RuntimeException e) {
            badCheckpoints.incrementAndGet();
            LOG.log(Level.WARNING, "epoch floor {0} unreadable, ignored: {1}", f, e.getMessage());
            return Floor.NONE;
        }
    }

    public Path directory() {
        return dir;
    }

    public Path current() {
        return dir.resolve(CURRENT);
    }

    public Path previous() {
        return dir.resolve(PREVIOUS);
    }

    /** Checkpoints written. */
    public long writes() {
        return writes.get();
    }

    /** Damaged or unusable checkpoint files found by restores so far. */
    public long badCheckpoints() {
        return badCheckpoints.get();
    }

    /** The bytes of a checkpoint file holding {@code program}. */
    static byte[] frame(FlowProgram program) {
        byte[] body = program.encode();
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + body.length);
        b.putInt(MAGIC).putInt(FORMAT).putInt(body.length).putInt((int) crc.getValue()).put(body);
        return b.array();
    }

    /** Writes {@code program} as the newest checkpoint, keeping the one before as {@value #PREVIOUS}. */
    public void write(FlowProgram program) throws IOException {
        Path tmp = dir.resolve(TEMP);
        ByteBuffer bytes = ByteBuffer.wrap(frame(program));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        if (currentGood && Files.exists(current())) {
            move(current(), previous());
        }
        // else: a damaged or foreign current is not worth keeping; the rename below replaces it and
        // the good previous one stays.
        move(tmp, current());
        currentGood = true;
        forceDirectory();
        writes.incrementAndGet();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the checkpoint directory does not support atomic rename: " + to.getParent(), e);
        }
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the renames are done, only their durability is weaker.
            LOG.log(Level.DEBUG, "cannot force checkpoint directory {0}: {1}", dir, e);
        }
    }

    /**
     * The newest valid checkpoint: {@value #CURRENT} if it is intact and valid,
     * else {@value #PREVIOUS}, else the empty program. Every file passed over is
     * reported (in the result, the log and {@link #badCheckpoints()}).
     */
    public RestoreReport restore() {
        List<RestoreReport.Problem> problems = new ArrayList<>();
        currentGood = false;
        for (Path file : List.of(current(), previous())) {
            FlowProgram p = read(file, problems);
            if (p != null) {
                currentGood = file.equals(current());
                if (!problems.isEmpty()) {
                    LOG.log(Level.WARNING, "restored checkpoint {0} (version {1}) after passing over: {2}", file,
                            p.version(), problems);
                }
                return new RestoreReport(p, file, problems);
            }
        }
        if (!problems.isEmpty()) {
            LOG.log(Level.ERROR, "no usable checkpoint in {0}; starting with no flows: {1}", dir, problems);
        }
        return new RestoreReport(FlowProgram.EMPTY, null, problems);
    }

    /** The program in {@code file}, or null (absent, or a problem added). */
    private FlowProgram read(Path file, List<RestoreReport.Problem> problems) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return bad(file, RestoreReport.Kind.UNREADABLE, e.toString(), problems);
        }
        try {
            return parse(bytes);
        } catch (CheckpointException e) {
            return bad(file, e.kind, e.getMessage(), problems);
        }
    }

    private FlowProgram bad(Path file, RestoreReport.Kind kind, String message, List<RestoreReport.Problem> problems) {
        badCheckpoints.incrementAndGet();
        RestoreReport.Problem p = new RestoreReport.Problem(file, kind, message);
        LOG.log(Level.WARNING, "bad checkpoint {0}", p);
        problems.add(p);
        return null;
    }

    /** Checks and decodes one checkpoint file's bytes. */
    static FlowProgram parse(byte[] bytes) throws CheckpointException {
        if (bytes.length < HEADER_BYTES) {
            throw new CheckpointException(RestoreReport.Kind.TRUNCATED,
                    bytes.length + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        int format = b.getInt();
        int length = b.getInt();
        int crc = b.getInt();
        if (magic != MAGIC) {
            throw new CheckpointException(RestoreReport.Kind.CORRUPT, "bad magic " + Integer.toHexString(magic));
        }
        if (format != FORMAT) {
            throw new CheckpointException(RestoreReport.Kind.UNSUPPORTED_FORMAT,
                    "format " + format + ", this agent reads " + FORMAT);
        }
        if (length < 0 || length > MAX_BODY) {
            throw new CheckpointException(RestoreReport.Kind.CORRUPT, "impossible body length " + length);
        }
        int have = bytes.length - HEADER_BYTES;
        if (have < length) {
            throw new CheckpointException(RestoreReport.Kind.TRUNCATED, "body is " + have + " of " + length + " bytes");
        }
        if (have > length) {
            throw new CheckpointException(RestoreReport.Kind.CORRUPT, (have - length) + " bytes after the body");
        }
        CRC32C c = new CRC32C();
        c.update(bytes, HEADER_BYTES, length);
        if ((int) c.getValue() != crc) {
            throw new CheckpointException(RestoreReport.Kind.CORRUPT, "CRC32C mismatch: header "
                    + Integer.toHexString(crc) + ", body " + Long.toHexString(c.getValue()));
        }
        FlowProgram p;
        try {
            p = FlowProgram.decode(Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
        } catch (IOException e) {
            throw new CheckpointException(RestoreReport.Kind.INVALID_PROGRAM, e.getMessage());
        }
        try {
            p.toFlowTable();
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(RestoreReport.Kind.INVALID_PROGRAM, e.getMessage());
        }
        return p;
    }

    static final class CheckpointException extends Exception {
        private static final long serialVersionUID = 1L;
        final transient RestoreReport.Kind kind;

        CheckpointException(RestoreReport.Kind kind, String message) {
            super(message);
            this.kind = kind;
        }
    }
}
