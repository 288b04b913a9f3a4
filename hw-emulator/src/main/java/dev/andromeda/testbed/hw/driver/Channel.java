package dev.andromeda.testbed.hw.driver;

import dev.andromeda.testbed.hw.HardwareModel;

import java.util.Arrays;

/**
 * A valid/ready channel of a model: the two handshake ports and the payload
 * ports that move with them (for AXI-stream: tdata, tkeep, tlast, ...).
 * A beat moves at a rising edge where valid and ready are both high.
 *
 * <p>A beat is a {@code long[]} of the payload fields in order, each field taking
 * {@code ceil(width / 64)} words (one for a port of up to 64 bits, least significant
 * word first for a wider one): {@link #offset(int)} says where a field starts.
 * A channel without a ready port ({@code ready == -1}) takes a beat at every edge
 * its valid is high (an AXI-stream without tready).
 *
 * @param fieldWords words each field takes in a beat
 */
public record Channel(String name, int valid, int ready, int[] fields, String[] fieldNames, int[] fieldWords) {

    /** A channel whose fields are at most 64 bits wide. */
    public Channel(String name, int valid, int ready, int[] fields, String[] fieldNames) {
        this(name, valid, ready, fields, fieldNames, ones(fields.length));
    }

    /**
     * Looks the ports up on a model.
     *
     * @param valid  name of the valid port
     * @param ready  name of the ready port, or null for a channel without one
     * @param fields names of the payload ports, in the order beats list them
     */
    public static Channel of(HardwareModel model, String name, String valid, String ready, String... fields) {
        int[] handles = new int[fields.length];
        int[] words = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            handles[i] = model.port(fields[i]);
            words[i] = Math.max(1, (model.ports().get(handles[i]).width() + 63) / 64);
        }
        return new Channel(name, model.port(valid), ready == null ? -1 : model.port(ready), handles, fields.clone(),
                words);
    }

    /** An AXI-stream channel with the usual port names under a prefix, e.g. {@code s_axis}. */
    public static Channel axiStream(HardwareModel model, String prefix) {
        return of(model, prefix, prefix + "_tvalid", prefix + "_tready",
                prefix + "_tdata", prefix + "_tkeep", prefix + "_tlast");
    }

    /** Payload fields. */
    public int width() {
        return fields.length;
    }

    /** Words of a whole beat. */
    public int beatWords() {
        int n = 0;
        for (int w : fieldWords) {
            n += w;
        }
        return n;
    }

    /** Where field {@code i} starts in a beat. */
    public int offset(int i) {
        int n = 0;
        for (int k = 0; k < i; k++) {
            n += fieldWords[k];
        }
        return n;
    }

    /** Whether any field is wider than 64 bits. */
    public boolean hasWideFields() {
        for (int w : fieldWords) {
            if (w > 1) {
                return true;
            }
        }
        return false;
    }

    /** Sets the beat's fields on the model ({@code scratch[i]}: a buffer of field i's words, for wide ones). */
    void drive(HardwareModel model, long[] beat, long[][] scratch) {
        int off = 0;
        for (int i = 0; i < fields.length; i++) {
            int w = fieldWords[i];
            if (w == 1) {
                model.set(fields[i], beat[off]);
            } else {
                System.arraycopy(beat, off, scratch[i], 0, w);
                model.setWide(fields[i], scratch[i]);
            }
            off += w;
        }
    }

    /** Reads the fields from the model into {@code beat}. */
    void read(HardwareModel model, long[] beat, long[][] scratch) {
        int off = 0;
        for (int i = 0; i < fields.length; i++) {
            int w = fieldWords[i];
            if (w == 1) {
                beat[off] = model.get(fields[i]);
            } else {
                model.getWide(fields[i], scratch[i]);
                System.arraycopy(scratch[i], 0, beat, off, w);
            }
            off += w;
        }
    }

    /** Buffers for {@link #drive}/{@link #read}: one per wide field, null for the others. */
    long[][] scratch() {
        long[][] s = new long[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            if (fieldWords[i] > 1) {
                s[i] = new long[fieldWords[i]];
            }
        }
        return s;
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(fieldNames);
    }
}
