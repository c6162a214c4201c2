package dev.nugator.pairing;

import java.util.List;

/** Who knows how the links look on this node now (the link engine). */
public interface LinkStatusSource {
    List<LinkStatus> status();
}
