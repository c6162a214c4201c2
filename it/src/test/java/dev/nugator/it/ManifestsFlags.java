package dev.nugator.it;

import dev.nugator.testkit.Dist;
import dev.nugator.testkit.Nugatorctl;
import dev.nugator.testkit.Proc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The options a command of ours really has, read from its {@code --help} (picocli's layout: one
 * option per line, {@code -f, --file=FILE}, its description continued on indented lines, and
 * {@code Default: VALUE}), so that a flag renamed in the code and not in the manifests fails.
 */
record ManifestsFlags(String command, String help, Map<String, Option> options) {
    private static final Pattern OPTION_LINE = Pattern.compile("^\\s{1,8}(?:(-[a-zA-Z]), )?(--[a-z0-9-]+)(?:=(\\S+))?\\s*(.*)$");
    private static final Pattern SHORT_ONLY = Pattern.compile("^\\s{1,8}(-[a-zA-Z])(?:=(\\S+))?\\s+(.*)$");

    /** One option: its names, whether it takes a value (its label, e.g. PATH), its description. */
    record Option(List<String> names, Optional<String> param, String description) {
        Optional<String> defaultValue() {
            var matcher = Pattern.compile("Default: (\\S+)").matcher(description);
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        }
    }

    static ManifestsFlags nugatord() {
        return parse("nugatord", Proc.of(Dist.nugatord().toString(), "--help").check().stdout());
    }

    /** {@code nugatorctl <subcommand...> --help}. */
    static ManifestsFlags nugatorctl(String... subcommand) {
        var command = new ArrayList<String>(List.of(Nugatorctl.executable().toString()));
        command.addAll(List.of(subcommand));
        command.add("--help");
        return parse("nugatorctl " + String.join(" ", subcommand), Proc.of(command).check().stdout());
    }

    static ManifestsFlags parse(String command, String help) {
        var options = new LinkedHashMap<String, Option>();
        List<String> names = null;
        String param = null;
        var description = new StringBuilder();
        for (String line : help.lines().toList()) {
            var matcher = OPTION_LINE.matcher(line);
            var shortOnly = SHORT_ONLY.matcher(line);
            if (matcher.matches() || shortOnly.matches() && !line.strip().startsWith("--")) {
                put(options, names, param, description);
                names = new ArrayList<>();
                description = new StringBuilder();
                if (matcher.matches()) {
                    if (matcher.group(1) != null) {
                        names.add(matcher.group(1));
                    }
                    names.add(matcher.group(2));
                    param = matcher.group(3);
                    description.append(matcher.group(4));
                } else {
                    names.add(shortOnly.group(1));
                    param = shortOnly.group(2);
                    description.append(shortOnly.group(3));
                }
            } else if (names != null && line.startsWith("        ")) {
                description.append(' ').append(line.strip());
            } else {
                put(options, names, param, description);
                names = null;
            }
        }
        put(options, names, param, description);
        return new ManifestsFlags(command, help, options);
    }

    private static void put(Map<String, Option> options, List<String> names, String param, StringBuilder description) {
        if (names != null) {
            var option = new Option(List.copyOf(names), Optional.ofNullable(param), description.toString().strip());
            names.forEach(n -> options.put(n, option));
        }
    }

    Option option(String name) {
        var option = options.get(name);
        if (option == null) {
            throw new AssertionError("`" + command + "` has no option " + name + "; its --help:\n" + help);
        }
        return option;
    }

    /** The default of an option, as its help says it. */
    String defaultOf(String name) {
        return option(name).defaultValue().orElseThrow(() -> new AssertionError("`" + command + " --help` gives no default for " + name));
    }

    /**
     * A container's arguments after the command's own words, as flag to value (null for a flag
     * without one), every flag checked against the help: {@code --x=v}, or {@code --x v} where the
     * help shows the option takes a value.
     */
    Map<String, String> flagsOf(List<String> args) {
        var flags = new LinkedHashMap<String, String>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                throw new AssertionError("`" + command + "`: unexpected argument '" + arg + "' in " + args);
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            var option = option(name);
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                    : option.param().isPresent() && i + 1 < args.size() ? args.get(++i) : null;
            if (option.param().isPresent() != (value != null)) {
                throw new AssertionError("`" + command + "`: " + name + (value == null ? " needs a value" : " takes no value") + " in " + args);
            }
            flags.put(option.names().getLast(), value);
        }
        return flags;
    }
}
