package dev.nugator.testkit;

/** Closing several things where one failing close must not keep the others open. */
final class CloseAll {
    private CloseAll() {}

    /** Closes every resource (nulls skipped) even when some close fails, then rethrows the first failure. */
    static void closeAll(Iterable<? extends AutoCloseable> resources) throws Exception {
        Throwable first = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof Exception e) {
            throw e;
        }
        if (first != null) {
            throw (AssertionError) first;
        }
    }
}
