package dev.nugator.testkit.cri;

import java.time.Duration;

/**
 * How long the parts of a {@link Containerd}'s start took, for the log of whoever starts one (the
 * bench prints it under its table).
 *
 * @param image building the pause image
 * @param daemon from starting containerd to its CRI answering {@code Version}
 * @param imported importing the image until the CRI knows it
 */
public record ContainerdStartup(Duration image, Duration daemon, Duration imported) {
    @Override
    public String toString() {
        return "pause image built in %d ms, containerd answering in %d ms, image imported and known in %d ms"
                .formatted(image.toMillis(), daemon.toMillis(), imported.toMillis());
    }
}
