package dev.sessionhub.agent.impl.python;

import dev.sessionhub.agent.impl.command.AbortSignal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.python.core.PyException;

/**
 * One agent's Python: its persistent namespace, made once from a (possibly shared) {@link WarmingRuntime}.
 *
 * <p>With warm-up ({@link #warmHere()}, called on a background thread once the agent has bound), that thread
 * makes or waits for the runtime, then makes the namespace, runs its set-up code and a first command-shaped
 * {@code exec}, so the first real command finds everything loaded; the runtime's warm-up rounds come after, with
 * commands already free to run. A command that arrives before that ends
 * waits for the same future ({@link #namespace(AbortSignal)}), never starting a second one; if the warm-up
 * failed, every command gets that failure. Without warm-up the first command makes the namespace on its own
 * thread, as before.
 */
public final class SessionPython {

  /** What warm-up runs in the session's namespace: the command path end to end, leaving no names behind. */
  static final String FIRST_EXEC = "# sessionhub warm-up\nprint('ready')\n";

  public enum State { COLD, WARMING, READY, FAILED }

  private final WarmingRuntime runtime;
  private final Map<String, Object> globals;
  private final String setupCode;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CompletableFuture<PythonNamespace> namespace = new CompletableFuture<>();
  private volatile long startNanos;
  private volatile long readyNanos = -1;

  /** @param setupCode run once in the new namespace before any command (e.g. the {@code hub} client); or null */
  public SessionPython(WarmingRuntime runtime, Map<String, Object> globals, String setupCode) {
    this.runtime = runtime;
    this.globals = Map.copyOf(globals);
    this.setupCode = setupCode;
  }

  /**
   * Makes and warms the runtime (if nobody has begun to) and this namespace on the calling thread, a background
   * thread (never an event loop, never the session's main thread); no-op if begun already.
   */
  public void warmHere() {
    if (started.compareAndSet(false, true)) {
      startNanos = System.nanoTime();
      make(true);
      runtime.warmUpOnce();
    }
  }

  /**
   * The namespace, for a command about to run on the calling thread (the session's main thread, never an event
   * loop): made here if nobody began making it, else waited for. The wait ends early if {@code abort} fires.
   */
  public PythonNamespace namespace(AbortSignal abort) throws PythonUnavailable {
    if (!started.get()) {
      // No warm-up for this session: make the runtime here, or wait for whoever is making it (a simulator's
      // shared warm-up), then this namespace, which is quick.
      long asked = System.nanoTime();
      awaitAbortably(runtime.get(), abort, asked);
      if (started.compareAndSet(false, true)) {
        startNanos = asked;
        make(false);
      }
    }
    if (!namespace.isDone()) {
      awaitAbortably(namespace, abort, startNanos);
    }
    try {
      return namespace.getNow(null);
    } catch (RuntimeException e) {
      throw failed(e.getCause() == null ? e : e.getCause());
    }
  }

  public State state() {
    if (!started.get()) {
      return State.COLD;
    }
    if (!namespace.isDone()) {
      return State.WARMING;
    }
    return namespace.isCompletedExceptionally() ? State.FAILED : State.READY;
  }

  /** Milliseconds from the start of making the namespace to its being ready, or -1 until it is. */
  public long readyAfterMillis() {
    long ready = readyNanos;
    return ready < 0 ? -1 : (ready - startNanos) / 1_000_000;
  }

  private void make(boolean warm) {
    try {
      PythonNamespace made = runtime.get().get().newNamespace(globals);
      if (setupCode != null) {
        made.run(setupCode);
      }
      if (warm) {
        made.exec(FIRST_EXEC, new AbortSignal());
      }
      readyNanos = System.nanoTime();
      namespace.complete(made);
    } catch (ExecutionException e) {
      namespace.completeExceptionally(e.getCause());
    } catch (Throwable t) {
      namespace.completeExceptionally(t);
    }
  }

  /** Waits for {@code future} on the calling thread until it completes (either way) or {@code abort} fires. */
  private static void awaitAbortably(CompletableFuture<?> future, AbortSignal abort, long sinceNanos)
      throws PythonUnavailable {
    if (future.isDone()) {
      return;
    }
    Thread waiting = Thread.currentThread();
    abort.whileRunning(reason -> waiting.interrupt());
    try {
      future.get();
    } catch (InterruptedException e) {
      throw new PythonUnavailable("the command's time ran out while the session's Python runtime was still "
          + "starting (" + (System.nanoTime() - sinceNanos) / 1_000_000 + " ms so far)", true);
    } catch (ExecutionException e) {
      // Reported by the caller, from the namespace's future.
    } finally {
      abort.whileRunning(reason -> { });
      Thread.interrupted();
    }
  }

  private static PythonUnavailable failed(Throwable cause) {
    String why;
    if (cause instanceof PyException py) {
      why = PythonError.from(py, null).faultString();
    } else if (cause instanceof PythonError py) {
      why = py.faultString();
    } else {
      why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return new PythonUnavailable("the session's Python runtime failed to start: " + why, false);
  }
}
