package dev.andromeda.testbed.tb.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.tb.jobs.Hex;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The input of {@code tb sim}: one JSON object a line,
 * {@code {"id":"f1","stream":"s_axis","data":"<hex>"}} with optional {@code "user"},
 * {@code "id_field"} and {@code "dest"} (numbers, or hex strings {@code "0x.."}) for the
 * ports of those names. Every line is checked before anything runs; the first bad one is
 * refused with its line number and why ({@link BadFrameFile}).
 */
public final class FrameFile {
    private static final Set<String> FIELDS = Set.of("id", "stream", "data", "user", "id_field", "dest");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * One frame to send.
     *
     * @param label  its "id", or "line N"
     * @param stream the stream's port prefix, or null when the line names none
     * @param hasUser whether the line gave "user" (and likewise id_field, dest): a port must exist
     */
    public record Entry(int line, String label, String stream, AxiFrame frame, boolean hasUser, boolean hasId,
                        boolean hasDest) {
    }

    /** A line that is not a frame: says where and why. */
    public static final class BadFrameFile extends Exception {
        public BadFrameFile(String message) {
            super(message);
        }
    }

    private FrameFile() {
    }

    public static List<Entry> read(Path file, String shownAs) throws BadFrameFile, IOException {
        List<Entry> entries = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (text.isBlank()) {
                    continue;
                }
                try {
                    entries.add(parse(text, lineNo));
                } catch (IllegalArgumentException e) {
                    throw new BadFrameFile(shownAs + ":" + lineNo + ": " + e.getMessage());
                }
            }
        } catch (CharacterCodingException e) {
            throw new BadFrameFile(shownAs + ":" + (lineNo + 1) + ": not UTF-8 text; a frame file is JSON, one object a line");
        }
        return entries;
    }

    static Entry parse(String text, int lineNo) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object {\"stream\":..,\"data\":\"<hex>\"}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' (fields: id, stream, data, user, id_field, dest)");
            }
        }
        JsonNode id = node.get("id");
        String label = id == null ? "line " + lineNo : id.asText();
        JsonNode stream = node.get("stream");
        if (stream != null && !stream.isTextual()) {
            throw new IllegalArgumentException("'stream' must be a string (a port prefix such as s_axis)");
        }
        JsonNode data = node.get("data");
        if (data == null || !data.isTextual()) {
            throw new IllegalArgumentException("'data' must be a string of hex digits");
        }
        byte[] bytes = Hex.decode("data", data.asText());
        if (bytes.length == 0) {
            throw new IllegalArgumentException("'data' is empty; a frame has at least one byte");
        }
        AxiFrame frame = AxiFrame.of(bytes, number(node, "user"), number(node, "id_field"), number(node, "dest"));
        return new Entry(lineNo, label, stream == null ? null : stream.asText(), frame, node.has("user"),
                node.has("id_field"), node.has("dest"));
    }

    private static long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return 0;
        }
        if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
            return v.asLong();
        }
        if (v.isTextual() && v.asText().matches("0[xX][0-9a-fA-F]{1,16}")) {
            return Long.parseUnsignedLong(v.asText().substring(2), 16);
        }
        throw new IllegalArgumentException("'" + field + "' must be a number >= 0 or a hex string \"0x..\" of up to 64 bits, not "
                + v);
    }
}
