package dev.nugator.shim;

import java.util.concurrent.locks.LockSupport;

/** A single timer thread: when the armed deadline passes before it is re-armed, the action runs. */
final class Watchdog implements Runnable {
    private volatile long deadlineNanos;
    private volatile Runnable action;

    private Watchdog(long millis, Runnable action) {
        rearm(millis, action);
    }

    static Watchdog start(long millis, Runnable action) {
        var watchdog = new Watchdog(millis, action);
        var thread = new Thread(watchdog, "nugator-watchdog");
        thread.setDaemon(true);
        thread.start();
        return watchdog;
    }

    void rearm(long millis, Runnable next) {
        this.action = next;
        this.deadlineNanos = System.nanoTime() + millis * 1_000_000L;
    }

    @Override
    public void run() {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                action.run();
                return;
            }
            // parkNanos, not sleep: Thread.sleep loads a JFR event class the AOT cache cannot hold
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                return;
            }
        }
    }
}
