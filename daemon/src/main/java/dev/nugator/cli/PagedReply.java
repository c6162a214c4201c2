package dev.nugator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.wire.Pages;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks for every page of a long answer (see {@link Pages}) and joins them into the one document
 * nugatord would have sent whole. Pages are only joined when they come from one revision of the
 * links; when the links change in between, the reading starts over, a few times at most.
 */
final class PagedReply {
    static final int ATTEMPTS = 5;

    /** How a page is added to what came before it. */
    @FunctionalInterface
    interface Join {
        void append(ObjectNode whole, ObjectNode page);
    }

    /** Every array of the page goes after the array of the same name. */
    static final Join ARRAYS = (whole, page) -> page.properties().forEach(field -> {
        if (field.getValue().isArray()) {
            whole.withArray(field.getKey()).addAll((ArrayNode) field.getValue());
        }
    });

    /** Topologies go after each other; a page's first one continues the last one when it has its name. */
    static final Join TOPOLOGIES = (whole, page) -> {
        var topologies = whole.withArray("topologies");
        for (JsonNode topology : page.path("topologies")) {
            var last = topologies.isEmpty() ? null : topologies.get(topologies.size() - 1);
            if (last != null && last.path("name").equals(topology.path("name"))) {
                ((ObjectNode) last).withArray("links").addAll((ArrayNode) topology.path("links"));
            } else {
                topologies.add(topology);
            }
        }
    };

    private PagedReply() {}

    static ObjectNode fetch(ControlChannel channel, ObjectNode request, Join join) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            var whole = readAll(channel, request, join);
            if (whole.isPresent()) {
                return whole.get();
            }
        }
        throw new CliFailure(Main.UNREACHABLE, "the links changed while nugatorctl read them, " + ATTEMPTS + " times in a row; try again");
    }

    /** The pages joined, or empty when a page came from another revision than the first. */
    private static Optional<ObjectNode> readAll(ControlChannel channel, ObjectNode request, Join join) {
        ObjectNode whole = null;
        JsonNode revision = null;
        int offset = 0;
        while (true) {
            var page = (ObjectNode) channel.call(request.deepCopy().put(Pages.OFFSET, offset));
            var pageRevision = page.remove(Pages.REVISION);
            var next = page.remove(Pages.NEXT);
            if (whole == null) {
                whole = page;
                revision = pageRevision;
            } else if (!Objects.equals(pageRevision, revision)) {
                return Optional.empty();
            } else {
                join.append(whole, page);
            }
            if (next == null) {
                return Optional.of(whole);
            }
            if (next.asInt() <= offset) {
                throw new CliFailure(1, "nugatord answered the page at " + offset + " with the next at " + next + ", which goes back");
            }
            offset = next.asInt();
        }
    }
}
