package dev.nugator.delegate;

/** What a plugin process left behind: its exit code, stdout and the tail of its stderr. */
public record PluginOutcome(int exitCode, byte[] stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
