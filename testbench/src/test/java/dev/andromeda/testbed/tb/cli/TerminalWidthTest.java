package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Tb;
import dev.andromeda.testbed.tb.report.TerminalWidth;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15 point 9: help fits the terminal's width (COLUMNS, else 80), every word kept. */
class TerminalWidthTest {

    @Test
    void widthComesFromColumnsAndIsEightyWithout() {
        assertThat(TerminalWidth.of(null)).isEqualTo(80);
        assertThat(TerminalWidth.of("")).isEqualTo(80);
        assertThat(TerminalWidth.of("wide")).isEqualTo(80);
        assertThat(TerminalWidth.of("120")).isEqualTo(120);
        assertThat(TerminalWidth.of(" 100 ")).isEqualTo(100);
        assertThat(TerminalWidth.of("20")).as("picocli's minimum").isEqualTo(55);
        assertThat(TerminalWidth.of("100000")).isEqualTo(200);
    }

    @Test
    void everyCommandsHelpFitsEightyColumnsWithEveryWordOfItsDescription() {
        CommandLine root = Tb.commandLine();
        root.setUsageHelpWidth(80);
        List<String> checked = new ArrayList<>();
        walk(root, 80, checked);
        assertThat(checked).contains("tb", "tb demo", "tb control-scale", "tb offload checksum", "tb cluster up",
                "tb bench sim", "tb netctl apply");
    }

    @Test
    void aWiderTerminalGetsWiderHelp() {
        CommandLine root = Tb.commandLine();
        root.setUsageHelpWidth(120);
        String usage = root.getSubcommands().get("control-scale").getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage.lines().mapToInt(String::length).max().orElse(0)).isBetween(81, 120);
    }

    private static void walk(CommandLine cl, int width, List<String> checked) {
        String name = cl.getCommandSpec().qualifiedName();
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String line : usage.lines().toList()) {
            assertThat(line.length()).as("%s at %d columns:%n%s", name, width, line).isLessThanOrEqualTo(width);
        }
        // Reflowing joins and wraps lines: the words, in order, are the description's own.
        String words = String.join(" ", cl.getCommandSpec().usageMessage().description()).replaceAll("\\s+", " ").strip();
        assertThat(usage.replaceAll("\\s+", " ")).as(name).contains(words);
        String footer = String.join(" ", cl.getCommandSpec().usageMessage().footer()).replaceAll("\\s+", " ").strip();
        assertThat(usage.replaceAll("\\s+", " ")).as(name).contains(footer);
        checked.add(name);
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().name().equals(e.getKey())) {
                walk(e.getValue(), width, checked);
            }
        }
    }

    @Test
    void reflowJoinsParagraphsKeepsBlankLinesAndWrapsTableRowsUnderTheirSecondColumn() {
        String[] text = {"One sentence written", "over two lines.", "", "  name    a description long enough to wrap"
                + " past the width here"};
        assertThat(TerminalWidth.reflow(text, 40)).containsExactly("One sentence written over two lines.", "",
                "  name    a description long enough to", "          wrap past the width here");
    }

    /**
     * Issue 15: {@code tb bench fastpath --help} at 80 columns broke each source line of its stage
     * list in two, leaving short lines in the middle of a stage. Now a stage's description is one
     * paragraph under its column: every line but a stage's last is filled (the next word would
     * not fit), and each continuation line starts at the description's column.
     */
    @Test
    void benchFastpathHelpWrapsItsStageListAsRowsAtEightyColumns() {
        CommandLine root = Tb.commandLine();
        root.setUsageHelpWidth(80);
        String usage = root.getSubcommands().get("bench").getSubcommands().get("fastpath")
                .getUsageMessage(CommandLine.Help.Ansi.OFF);
        List<String> lines = usage.lines().toList();
        int egress = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  egress ")) {
                egress = i;
            }
        }
        assertThat(egress).as(usage).isNotNegative();
        int column = lines.get(egress).indexOf("a guest's");
        List<List<String>> stages = new ArrayList<>();
        for (int i = egress; i < lines.size() && lines.get(i).startsWith("  "); i++) {
            String l = lines.get(i);
            if (!l.startsWith(" ".repeat(column))) {
                stages.add(new ArrayList<>());
            } else {
                assertThat(l.length() - l.stripLeading().length()).as("under the description: %s", l)
                        .isEqualTo(column);
            }
            stages.getLast().add(l);
        }
        assertThat(stages).as(usage).hasSize(3);
        for (List<String> stage : stages) {
            for (int k = 0; k + 1 < stage.size(); k++) {
                String next = stage.get(k + 1).strip().split(" ")[0];
                assertThat(stage.get(k).length() + 1 + next.length()).as("filled before '%s':%n%s", next, usage)
                        .isGreaterThan(80);
                assertThat(stage.get(k).length()).isLessThanOrEqualTo(80);
            }
        }
        assertThat(String.join(" ", stages.get(0)).replaceAll("\\s+", " ")).contains(
                "flow-table hit, firewall port ranges, software checksum, GENEVE, transmit into a memory link;"
                        + " batch 32");
    }
}
