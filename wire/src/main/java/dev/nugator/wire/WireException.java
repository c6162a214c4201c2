package dev.nugator.wire;

import java.io.IOException;

/** A frame or body that does not follow the protocol: truncated, oversized or malformed. */
public class WireException extends IOException {
    public WireException(String message) {
        super(message);
    }

    /** A message this side will not send, because the peer would refuse a frame that large. */
    public static final class TooLarge extends WireException {
        public TooLarge(String what, long bytes) {
            super("%s of %d bytes is larger than a frame may carry (%d bytes)".formatted(what, bytes, Frame.MAX_BODY));
        }
    }

    /** The peer connected and closed without sending a byte: a probe, not a malformed request. */
    public static final class Empty extends WireException {
        public Empty() {
            super("connection closed before a request arrived");
        }
    }
}
