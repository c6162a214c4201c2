package dev.nugator.cli;

import java.util.concurrent.Callable;

/** A subcommand whose failures print one clear message on stderr and exit with their code. */
abstract class CliCommand implements Callable<Integer> {

    @Override
    public final Integer call() {
        try {
            run();
            return 0;
        } catch (CliFailure failure) {
            System.err.println(failure.render());
            return failure.exitCode();
        }
    }

    abstract void run();
}
