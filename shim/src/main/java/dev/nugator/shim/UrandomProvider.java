package dev.nugator.shim;

import java.io.FileInputStream;
import java.io.IOException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandomSpi;

/**
 * The shim's first security provider (named by {@code shim.security}): one SecureRandom,
 * "NativePRNGNonBlocking", read from {@code /dev/urandom} as the JDK's own is.
 *
 * <p>Why it exists: the JDK's UNIX socket class asks for that SecureRandom in its static
 * initialiser (it names the sockets it binds to no path; the shim never does), and building the
 * default provider that answers it, SUN with its hundred services, is some 7 ms of a shim call's
 * 33 ms on the interpreter the shim runs on. This provider answers the same request with one
 * service and opens nothing until bytes are asked for.
 *
 * <p>It is found by its name, {@value #NAME}, as a service of the shim's module (the bundle runs
 * the shim as a module of its runtime image, whose descriptor provides it), so that the JDK's
 * provider loader finds it at its first look, with no class path to scan; on a class path,
 * {@code META-INF/services} names it. Its one service makes its SecureRandom itself, so that no
 * constructor is looked up by reflection (whose failure for the parameter the JDK tries first
 * builds an exception message with streams).
 */
public final class UrandomProvider extends Provider {
    private static final long serialVersionUID = 1L;
    static final String NAME = "NugatorUrandom";

    public UrandomProvider() {
        super(NAME, "1", "nugator shim: SecureRandom NativePRNGNonBlocking from /dev/urandom");
        putService(new UrandomService(this));
    }

    private static final class UrandomService extends Service {
        UrandomService(Provider provider) {
            super(provider, "SecureRandom", "NativePRNGNonBlocking", Urandom.class.getName(), null, null);
        }

        @Override
        public Object newInstance(Object constructorParameter) {
            return new Urandom();
        }
    }

    /** Each call reads fresh bytes from the kernel's non-blocking pool; a seed adds nothing to it. */
    public static final class Urandom extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        @Override
        protected void engineSetSeed(byte[] seed) {
            // /dev/urandom is seeded by the kernel; as with the JDK's NativePRNG, a caller's seed is not needed.
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            try (var in = new FileInputStream("/dev/urandom")) {
                if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
                    throw new ProviderException("/dev/urandom ended early");
                }
            } catch (IOException e) {
                throw new ProviderException("cannot read /dev/urandom", e);
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] seed = new byte[numBytes];
            engineNextBytes(seed);
            return seed;
        }
    }
}
