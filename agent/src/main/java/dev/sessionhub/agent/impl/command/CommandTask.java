package dev.sessionhub.agent.impl.command;

import dev.sessionhub.shared.output.BoundedOutput;

/**
 * Work to run on the session's main thread; it may be stopped through the signal it is given, and prints into
 * the output it is given (which callers of {@code output(id, ...)} may be reading while it runs).
 */
@FunctionalInterface
public interface CommandTask<T> {
  T run(AbortSignal abort, BoundedOutput output) throws Exception;
}
