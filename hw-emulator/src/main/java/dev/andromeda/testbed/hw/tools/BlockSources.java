package dev.andromeda.testbed.hw.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Verilog files of a block in {@code rtl/}, as its manifest ({@code rtl/<block>/model.yaml},
 * {@code sources:}) lists them: the files Verilator builds the block's model from, so a second
 * simulator or yosys reads the same design. A block that instantiates others names their
 * folders there (the NIC: {@code [., ../csum_offload]}), and every tool picks a new one up from
 * that one line.
 *
 * <p>Read as build-model.sh reads it: an inline list ({@code [a, b]}) or one {@code - a} a
 * line, each entry relative to the manifest's folder, a folder standing for its {@code .v} and
 * {@code .sv} files (not its subfolders), in name order.
 */
public final class BlockSources {
    private BlockSources() {
    }

    /** The block's Verilog files; a one-line reason when its manifest is missing or wrong. */
    public static List<Path> of(Path rtl, String block) throws IOException {
        Path manifest = rtl.resolve(block).resolve("model.yaml");
        if (!Files.isRegularFile(manifest)) {
            throw new IOException("no manifest for block '" + block + "': " + manifest);
        }
        List<String> entries = entries(Files.readString(manifest, StandardCharsets.UTF_8));
        if (entries.isEmpty()) {
            throw new IOException(manifest + ": no sources");
        }
        List<Path> files = new ArrayList<>();
        for (String e : entries) {
            Path p = manifest.getParent().resolve(e).normalize();
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    List<Path> found = s.filter(BlockSources::isVerilog).filter(Files::isRegularFile).sorted().toList();
                    if (found.isEmpty()) {
                        throw new IOException(manifest + ": no .v or .sv files in " + p);
                    }
                    files.addAll(found);
                }
            } else if (Files.isRegularFile(p) && isVerilog(p)) {
                files.add(p);
            } else {
                throw new IOException(manifest + ": source '" + e + "' is no .v/.sv file or folder");
            }
        }
        return files.stream().distinct().toList();
    }

    /** The block's own files: those of its sources in its folder. */
    public static List<Path> own(Path rtl, String block) throws IOException {
        Path dir = rtl.resolve(block).normalize();
        return of(rtl, block).stream().filter(p -> p.getParent().equals(dir)).toList();
    }

    /** The files of the blocks it instantiates: its sources outside its folder. */
    public static List<Path> inside(Path rtl, String block) throws IOException {
        Path dir = rtl.resolve(block).normalize();
        return of(rtl, block).stream().filter(p -> !p.getParent().equals(dir)).toList();
    }

    /** The blocks it instantiates, by folder name, in source order. */
    public static List<String> blocksInside(Path rtl, String block) throws IOException {
        return inside(rtl, block).stream().map(p -> p.getParent().getFileName().toString()).distinct().toList();
    }

    private static boolean isVerilog(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".v") || n.endsWith(".sv");
    }

    /** The entries of a manifest's {@code sources:}, as written (comments and quotes removed). */
    static List<String> entries(String manifest) {
        List<String> out = new ArrayList<>();
        boolean inList = false;
        for (String raw : manifest.lines().toList()) {
            String line = raw.replaceFirst("(^|\\s)#.*$", "");
            if (line.isBlank()) {
                continue;
            }
            if (line.matches("^[A-Za-z_][A-Za-z0-9_]*\\s*:.*")) {
                int c = line.indexOf(':');
                String key = line.substring(0, c).trim();
                String value = line.substring(c + 1).trim();
                inList = key.equals("sources") && value.isEmpty();
                if (key.equals("sources") && value.startsWith("[") && value.endsWith("]")) {
                    for (String item : value.substring(1, value.length() - 1).split(",")) {
                        if (!item.isBlank()) {
                            out.add(unquote(item.trim()));
                        }
                    }
                }
            } else if (inList && line.matches("^\\s+-\\s*.*")) {
                out.add(unquote(line.replaceFirst("^\\s+-\\s*", "").trim()));
            }
        }
        return out;
    }

    private static String unquote(String s) {
        boolean quoted = s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"")
                || s.startsWith("'") && s.endsWith("'"));
        return quoted ? s.substring(1, s.length() - 1) : s;
    }
}
