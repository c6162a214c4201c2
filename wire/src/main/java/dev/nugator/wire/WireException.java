package dev.nugator.wire;

import java.io.IOException;

/** A frame or body that does not follow the protocol: truncated, oversized or malformed. */
public final class WireException extends IOException {
    public WireException(String message) {
        super(message);
    }
}
