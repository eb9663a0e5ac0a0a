package dev.sessionhub.agent.impl.command;

import dev.sessionhub.shared.output.BoundedOutput;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code output(id, cursor, wait)}: what a command submitted under an id has printed past a cursor, while it runs
 * and for {@link CommandQueue#ENDED_OUTPUT_KEPT} after. With nothing new yet, the answer waits up to {@code wait}
 * for output or the command's end, without holding a thread: a one-shot waiter on the output and a timer.
 */
public final class OutputFollowing {

  /** The longest a caller may ask to wait. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final CommandQueue commands;

  public OutputFollowing(Vertx vertx, CommandQueue commands) {
    this.vertx = vertx;
    this.commands = commands;
  }

  /** Answers on the caller's context; call on a Vert.x context. */
  public Future<Map<String, Object>> read(String id, long cursor, Duration wait) {
    if (cursor < 0) {
      return Future.failedFuture(new XmlRpcFaultException(FaultCode.INVALID_PARAMS,
          "output: parameter 'cursor' must be 0 or a cursor this agent returned, got " + cursor));
    }
    var followed = commands.followed(id);
    if (followed.isEmpty()) {
      return Future.succeededFuture(answer(id, "unknown", new BoundedOutput.Slice("", cursor, 0, false)));
    }
    BoundedOutput output = followed.get().output();
    if (wait.isZero() || output.ended() || cursor < output.total()) {
      return Future.succeededFuture(now(id, cursor));
    }
    Context context = vertx.getOrCreateContext();
    Promise<Map<String, Object>> answered = Promise.promise();
    AtomicBoolean once = new AtomicBoolean();
    long[] timer = new long[1];
    Runnable wake = () -> context.runOnContext(v -> {
      if (once.compareAndSet(false, true)) {
        vertx.cancelTimer(timer[0]);
        answered.complete(now(id, cursor));
      }
    });
    timer[0] = vertx.setTimer(wait.toMillis(), t -> {
      output.forget(wake);
      wake.run();
    });
    output.whenChanged(cursor, wake);
    return answered.future();
  }

  private Map<String, Object> now(String id, long cursor) {
    var followed = commands.followed(id);
    if (followed.isEmpty()) {
      return answer(id, "unknown", new BoundedOutput.Slice("", cursor, 0, false));
    }
    return answer(id, followed.get().state(), followed.get().output().read(cursor, BoundedOutput.MAX_READ_CHARS));
  }

  private static Map<String, Object> answer(String id, String state, BoundedOutput.Slice slice) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", id);
    answer.put("state", state);
    answer.put("text", slice.text());
    answer.put("cursor", wire(slice.cursor()));
    answer.put("skipped", wire(slice.skipped()));
    answer.put("more", slice.more());
    return answer;
  }

  /** XML-RPC's {@code int} is 32-bit; a cursor past 2 Gi characters goes as {@code i8}. */
  private static Object wire(long value) {
    return value <= Integer.MAX_VALUE ? (Object) (int) value : (Object) value;
  }
}
