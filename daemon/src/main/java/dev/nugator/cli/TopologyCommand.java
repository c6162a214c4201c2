package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nugator.cni.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nugatorctl topology apply|get|delete}: many links from one YAML file, applied as a whole. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Apply, show or delete a named set of links written in a YAML file (see README, 'Topology files').",
        subcommands = {TopologyCommand.Apply.class, TopologyCommand.Get.class, TopologyCommand.Delete.class})
final class TopologyCommand implements Runnable {
    static final YAMLMapper YAML = new YAMLMapper();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: apply, get or delete");
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Make the topology's links exactly those of FILE: new links are added, changed ones updated, missing ones removed. Nothing is applied from an invalid file.")
    static final class Apply extends CliCommand {
        @Mixin DaemonOptions daemon;
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The topology (YAML or JSON); - reads stdin.")
        Path file;

        @Override
        void run() {
            var request = Json.MAPPER.createObjectNode().put("op", "topology.apply");
            request.set("topology", read(file));
            var reply = daemon.call(request);
            System.out.println("topology " + reply.path("name").asText() + ": " + reply.path("links").asInt() + " link(s) applied, "
                    + reply.path("removed").asInt() + " removed");
        }

        private static JsonNode read(Path file) {
            try {
                byte[] bytes = file.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(file);
                var tree = YAML.readTree(bytes);
                if (tree == null || tree.isMissingNode()) {
                    throw new CliFailure(2, file + " is empty");
                }
                return tree;
            } catch (IOException e) {
                throw new CliFailure(2, "cannot read " + file + ": " + firstLine(e.getMessage()));
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a topology's links (all topologies without NAME).")
    static final class Get extends CliCommand {
        @Mixin DaemonOptions daemon;
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "The topology's name.")
        String name;
        @Option(names = {"-o", "--output"}, defaultValue = "yaml", description = "yaml or json. Default: ${DEFAULT-VALUE}")
        String output;

        @Override
        void run() {
            var request = Json.MAPPER.createObjectNode().put("op", "topology.get");
            if (name != null) {
                request.put("name", name);
            }
            var reply = daemon.callAll(request, PagedReply.TOPOLOGIES);
            try {
                System.out.print(output.equals("json") ? Json.pretty(reply) + "\n" : YAML.writeValueAsString(reply));
            } catch (IOException e) {
                throw new CliFailure(1, e.getMessage());
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove a topology and all its links.")
    static final class Delete extends CliCommand {
        @Mixin DaemonOptions daemon;
        @Parameters(arity = "0..1", paramLabel = "NAME", defaultValue = "default", description = "The topology's name. Default: ${DEFAULT-VALUE}")
        String name;

        @Override
        void run() {
            var reply = daemon.call(Json.MAPPER.createObjectNode().put("op", "topology.delete").put("name", name));
            System.out.println("topology " + reply.path("name").asText() + " deleted: " + reply.path("removed").asInt() + " link(s) removed");
        }
    }

    static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
