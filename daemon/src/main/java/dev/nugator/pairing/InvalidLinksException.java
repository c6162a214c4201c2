package dev.nugator.pairing;

import java.util.List;

/** Links that cannot be applied, with every reason; nothing of them was applied. */
public final class InvalidLinksException extends RuntimeException {
    private final List<String> problems;

    public InvalidLinksException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
