package dev.nugator.cni;

import java.util.Map;

/**
 * The CNI_* variables of one invocation, validated for its command: required variables present,
 * container id and interface name well formed. Errors name the variable.
 */
public record CniEnvironment(CniCommand command, String containerId, String netns, String ifname,
                             CniArgs args, String path) {

    public static CniEnvironment parse(Map<String, String> env) {
        var command = CniCommand.parse(env.get("CNI_COMMAND"));
        String containerId = env.getOrDefault("CNI_CONTAINERID", "");
        String netns = env.getOrDefault("CNI_NETNS", "");
        String ifname = env.getOrDefault("CNI_IFNAME", "");
        String path = env.getOrDefault("CNI_PATH", "");
        if (command.needsContainer()) {
            require(containerId, "CNI_CONTAINERID", command);
            if (!Names.isIdentifier(containerId)) {
                throw new CniError(CniError.INVALID_ENVIRONMENT,
                        "CNI_CONTAINERID '" + containerId + "' has invalid characters: it must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
            }
        }
        if (command.needsNetns()) {
            require(netns, "CNI_NETNS", command);
        }
        if (command.needsIfname()) {
            require(ifname, "CNI_IFNAME", command);
            String problem = Names.ifnameProblem(ifname);
            if (problem != null) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME '" + ifname + "' " + problem);
            }
        }
        if (command.needsPath()) {
            require(path, "CNI_PATH", command);
        }
        return new CniEnvironment(command, containerId, netns, ifname, CniArgs.parse(env.get("CNI_ARGS")), path);
    }

    private static void require(String value, String variable, CniCommand command) {
        if (value.isEmpty()) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, variable + " is required for " + command + " but is not set");
        }
    }
}
