package dev.sessionhub.agent.impl.command;

/** Work to run on the session's main thread; it may be stopped through the signal it is given. */
@FunctionalInterface
public interface CommandTask<T> {
  T run(AbortSignal abort) throws Exception;
}
