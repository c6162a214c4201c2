package dev.nugator.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nugator.cni.CniEnvironment;
import dev.nugator.cni.CniError;
import dev.nugator.cni.Deadline;
import dev.nugator.delegate.Delegate;
import dev.nugator.delegate.DelegateRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DELs delegates in reverse order, carrying on past failures: used by DEL, by a failed ADD's
 * rollback and by GC. Returns the errors so the caller decides whether a retry can help.
 */
final class Teardown {
    private static final Logger log = LoggerFactory.getLogger(Teardown.class);
    private final DelegateRunner runner;

    Teardown(DelegateRunner runner) {
        this.runner = runner;
    }

    List<CniError> delegates(List<Delegate> delegates, Map<Integer, ObjectNode> results, CniEnvironment env, Deadline deadline) {
        var errors = new ArrayList<CniError>();
        for (var delegate : delegates.reversed()) {
            try {
                runner.del(delegate, env, Optional.ofNullable(results.get(delegate.index())), deadline);
            } catch (RuntimeException e) {
                var error = ErrorMapper.toCniError(e);
                log.warn("DEL of {} for container {} failed: {}", delegate.label(), env.containerId(), error.getMessage());
                errors.add(error);
            }
        }
        return errors;
    }

    /**
     * Whether a retried DEL could succeed where this one failed: the store or a plugin was busy or
     * out of time, a plugin crashed or is missing from CNI_PATH. A plugin that refuses its DEL for
     * a reason of its own (its master link is gone, its config is invalid) will refuse it forever,
     * and a DEL that fails forever keeps the pod from ever being removed, so that is logged instead.
     */
    static boolean retryCanHelp(CniError error) {
        return switch (error.code()) {
            case CniError.TRY_AGAIN_LATER, CniError.IO_FAILURE, CniError.DELEGATE_FAILED, CniError.DELEGATE_NOT_FOUND -> true;
            default -> false;
        };
    }

    /** One error standing for several: the first one's code, every message. */
    static CniError combine(List<CniError> errors) {
        if (errors.size() == 1) {
            return errors.getFirst();
        }
        var messages = errors.stream().map(Throwable::getMessage).toList();
        return new CniError(errors.getFirst().code(), String.join("; ", messages));
    }
}
