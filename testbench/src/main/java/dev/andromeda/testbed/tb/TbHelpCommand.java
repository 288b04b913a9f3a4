package dev.andromeda.testbed.tb;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code tb help [COMMAND [SUBCOMMAND...]]}: picocli's own help command looks at its first
 * argument only (so {@code help bench sim} printed bench's help) and knows nothing of the
 * commands the ./tb launcher handles itself ({@code test}, {@code build}).
 */
@Command(name = "help", helpCommand = true,
        description = "Show the help of a command: tb help bench sim; tb help test.")
final class TbHelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommands, to describe.")
    String[] commands = {};

    private CommandLine self;
    private PrintWriter out;
    private PrintWriter err;
    private Help.ColorScheme colors;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        CommandLine at = self.getParent();
        for (int i = 0; i < commands.length; i++) {
            String name = commands[i];
            CommandLine next = at.getSubcommands().get(name);
            if (next == null && i == 0 && Tb.LAUNCHER_COMMANDS.containsKey(name)) {
                out.println("Usage: ./tb " + name);
                // Wrapped at the terminal's width, as every other help text (it was one 139-column line).
                dev.andromeda.testbed.tb.report.TerminalWidth.wrap(Tb.LAUNCHER_COMMANDS.get(name),
                        self.getUsageHelpWidth(), 0).forEach(out::println);
                out.println("Handled by the ./tb launcher itself, not by the tb program.");
                out.flush();
                return;
            }
            if (next == null) {
                throw new CommandLine.ParameterException(self, "unknown command '"
                        + String.join(" ", java.util.Arrays.copyOf(commands, i + 1)) + "'; "
                        + at.getCommandSpec().qualifiedName() + " has: "
                        + String.join(", ", commandNames(at)));
            }
            at = next;
        }
        at.usage(out, colors);
        out.flush();
    }

    private static java.util.List<String> commandNames(CommandLine cl) {
        java.util.List<String> names = new java.util.ArrayList<>(cl.getSubcommands().keySet());
        if (cl.getParent() == null) {
            names.addAll(Tb.LAUNCHER_COMMANDS.keySet());
        }
        return names;
    }

    /**
     * The list of subcommands with each one's whole description, wrapped: picocli's shows only a
     * description's first line, and ours are sentences written over several lines.
     */
    static final CommandLine.IHelpSectionRenderer COMMAND_LIST = help -> {
        Map<String, Help> subs = help.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        int nameWidth = 0;
        for (Help h : subs.values()) {
            if (!h.commandSpec().usageMessage().hidden()) {
                nameWidth = Math.max(nameWidth, String.join(", ", h.commandSpec().names()).length());
            }
        }
        int width = help.commandSpec().usageMessage().width();
        int first = Math.min(nameWidth + 4, width / 2);
        Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
                new Help.Column(first, 2, Help.Column.Overflow.SPAN),
                new Help.Column(width - first, 1, Help.Column.Overflow.WRAP));
        for (Help h : subs.values()) {
            CommandSpec s = h.commandSpec();
            if (s.usageMessage().hidden()) {
                continue;
            }
            String[] lines = s.usageMessage().header().length > 0 ? s.usageMessage().header()
                    : s.usageMessage().description();
            table.addRowValues(String.join(", ", s.names()), firstSentence(lines));
        }
        return table.toString();
    };

    /**
     * The description's lines up to the one ending its first sentence (in '.' or ':'), joined;
     * stops before a blank or indented line, where the examples and tables begin.
     */
    static String firstSentence(String[] lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank() || (!b.isEmpty() && Character.isWhitespace(line.charAt(0)))) {
                break;
            }
            b.append(b.isEmpty() ? "" : " ").append(line.strip());
            if (line.strip().endsWith(".") || line.strip().endsWith(":")) {
                break;
            }
        }
        return b.toString();
    }

    /**
     * The description and the footer reflowed to the usage width: written in lines of up to 100
     * columns, picocli would wrap each line by itself and leave a ragged stub after every one.
     */
    static final CommandLine.IHelpSectionRenderer DESCRIPTION =
            help -> reflowed(help.commandSpec().usageMessage().description(), help.commandSpec().usageMessage().width());
    static final CommandLine.IHelpSectionRenderer FOOTER =
            help -> reflowed(help.commandSpec().usageMessage().footer(), help.commandSpec().usageMessage().width());

    private static String reflowed(String[] lines, int width) {
        StringBuilder b = new StringBuilder();
        for (String line : dev.andromeda.testbed.tb.report.TerminalWidth.reflow(lines, width)) {
            b.append(line).append(System.lineSeparator());
        }
        return b.toString();
    }

    /** Puts {@link #COMMAND_LIST}, {@link #DESCRIPTION} and {@link #FOOTER} on the command and every command under it. */
    static void install(CommandLine cl) {
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, COMMAND_LIST);
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, DESCRIPTION);
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, FOOTER);
        for (CommandLine sub : cl.getSubcommands().values()) {
            install(sub);
        }
    }

}
