package dev.sessionhub.agent.impl.python;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jython runtime made once and shared by everyone who needs it, and the only way the agent gets one.
 *
 * <p>{@link #warmInBackground()} makes and warms it ({@link PythonRuntime#warmUp}) on a daemon thread of its own,
 * {@link #warmHere()} on the calling thread; if nobody called either, the first {@link #get()} makes it on the
 * calling thread without warm-up, as the agent always did before warm-up existed. Either way it is made once:
 * whoever asks while it is being made waits for the same future, and a failure is kept and handed to every later
 * caller rather than retried.
 */
public final class WarmingRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(WarmingRuntime.class);

  /**
   * Warm-up rounds ({@link PythonRuntime#warmUp(int)}; system property {@code sessionhub.python.warmUpRounds}).
   * One: each further round cost about twice the runtime's own creation under load and did not make the first
   * command measurably faster (ops/BENCHMARKS.md, "Young sessions").
   */
  public static final int DEFAULT_WARM_UP_ROUNDS =
      Integer.getInteger("sessionhub.python.warmUpRounds", 1);

  private final Supplier<PythonRuntime> factory;
  private final int rounds;
  private final AtomicBoolean started = new AtomicBoolean();
  private final CompletableFuture<PythonRuntime> runtime = new CompletableFuture<>();

  /** @param factory makes the runtime (called at most once); {@code rounds} of warm-up follow in the background */
  public WarmingRuntime(Supplier<PythonRuntime> factory, int rounds) {
    this.factory = factory;
    this.rounds = rounds;
  }

  /** A runtime of its own for one agent. */
  public static WarmingRuntime create(int maxOutputChars) {
    return new WarmingRuntime(() -> PythonRuntime.create(maxOutputChars), DEFAULT_WARM_UP_ROUNDS);
  }

  /** Starts making and warming the runtime on a new daemon thread, unless it is made or being made already. */
  public void warmInBackground() {
    if (started.compareAndSet(false, true)) {
      Thread thread = new Thread(() -> make(rounds), "sessionhub-python-warmup");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /**
   * The runtime's future; makes and warms it on the calling thread (blocking) if nobody has started to. Never
   * call it from an event loop.
   */
  public CompletableFuture<PythonRuntime> warmHere() {
    if (started.compareAndSet(false, true)) {
      make(rounds);
    }
    return runtime;
  }

  /**
   * The runtime's future; makes it on the calling thread (blocking, no warm-up) if nobody has started to. Never
   * call it from an event loop.
   */
  public CompletableFuture<PythonRuntime> get() {
    if (started.compareAndSet(false, true)) {
      make(0);
    }
    return runtime;
  }

  private void make(int warmUpRounds) {
    try {
      long start = System.nanoTime();
      PythonRuntime made = factory.get();
      if (made == null) {
        throw new IllegalStateException("the Python runtime factory returned nothing");
      }
      long madeAt = System.nanoTime();
      made.warmUp(warmUpRounds);
      LOG.debug("Python runtime made in {} ms, {} warm-up rounds in {} ms", (madeAt - start) / 1_000_000,
          warmUpRounds, (System.nanoTime() - madeAt) / 1_000_000);
      runtime.complete(made);
    } catch (Throwable t) {
      runtime.completeExceptionally(t);
      if (t instanceof Error e && !(t instanceof LinkageError) && !(t instanceof StackOverflowError)) {
        throw e;
      }
    }
  }
}
