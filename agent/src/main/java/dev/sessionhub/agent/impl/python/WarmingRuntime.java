package dev.sessionhub.agent.impl.python;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jython runtime made once and shared by everyone who needs it, and the only way the agent gets one.
 *
 * <p>The first {@link #get()} makes it on the calling thread (a warm-up thread, or a command's when nothing warms
 * up). It is made once: whoever asks while it is being made waits for the same future, and a failure is kept and
 * handed to every later caller rather than retried. {@link #warmUpOnce()} then runs
 * the warm-up rounds ({@link PythonRuntime#warmUp}) once, after the runtime is handed out: commands never wait
 * for them.
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
  private final AtomicBoolean warmed = new AtomicBoolean();
  private final CompletableFuture<PythonRuntime> runtime = new CompletableFuture<>();

  /** @param factory makes the runtime (called at most once); {@code rounds} of warm-up follow it */
  public WarmingRuntime(Supplier<PythonRuntime> factory, int rounds) {
    this.factory = factory;
    this.rounds = rounds;
  }

  /** A runtime of its own for one agent. */
  public static WarmingRuntime create() {
    return new WarmingRuntime(() -> PythonRuntime.create(), DEFAULT_WARM_UP_ROUNDS);
  }

  /**
   * The runtime's future; makes it on the calling thread (blocking) if nobody has started to. Never call it from
   * an event loop.
   */
  public CompletableFuture<PythonRuntime> get() {
    if (started.compareAndSet(false, true)) {
      make();
    }
    return runtime;
  }

  /**
   * Runs the warm-up rounds on the calling thread if the runtime is made and nobody has run them; commands may
   * run meanwhile on other threads (a runtime serves several threads at once, as a simulator's does).
   */
  public void warmUpOnce() {
    PythonRuntime made = runtime.getNow(null);
    if (made != null && rounds > 0 && warmed.compareAndSet(false, true)) {
      long start = System.nanoTime();
      try {
        made.warmUp(rounds);
      } catch (RuntimeException e) {
        LOG.debug("Python warm-up rounds failed (commands are not affected): {}", e.toString());
      }
      LOG.debug("{} Python warm-up rounds in {} ms", rounds, (System.nanoTime() - start) / 1_000_000);
    }
  }

  private void make() {
    try {
      long start = System.nanoTime();
      PythonRuntime made = factory.get();
      if (made == null) {
        throw new IllegalStateException("the Python runtime factory returned nothing");
      }
      LOG.debug("Python runtime made in {} ms", (System.nanoTime() - start) / 1_000_000);
      runtime.complete(made);
    } catch (Throwable t) {
      runtime.completeExceptionally(t);
      if (t instanceof Error e && !(t instanceof LinkageError) && !(t instanceof StackOverflowError)) {
        throw e;
      }
    }
  }
}
