package dev.nugator.wire;

import java.io.IOException;

/** A frame or body that does not follow the protocol: truncated, oversized or malformed. */
public class WireException extends IOException {
    public WireException(String message) {
        super(message);
    }

    /** The peer connected and closed without sending a byte: a probe, not a malformed request. */
    public static final class Empty extends WireException {
        public Empty() {
            super("connection closed before a request arrived");
        }
    }
}
