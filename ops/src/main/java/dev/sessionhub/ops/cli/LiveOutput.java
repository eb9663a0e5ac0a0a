package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;

/**
 * Where a followed job's output goes while it runs: the pieces each running target prints (its job stream's
 * {@code output} events), then each target's result once, as the stream or the final job view gives it.
 */
interface LiveOutput {

  /** A piece of what the session at {@code address} printed; {@code skipped} characters were lost before it. */
  void output(String address, String text, long skipped);

  /** The target's result ({@code {address, state, output?, message?}}); nothing more comes for it. */
  void ended(JsonObject result);
}
