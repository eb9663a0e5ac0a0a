package dev.sessionhub.hub.impl.client;

import java.io.IOException;

/**
 * Thrown from inside the response stream when a call's response breaks one of its limits (size or deadline).
 *
 * <p>Why an {@link IOException}: it has to pass through the SAX parser, which lets I/O errors of its input
 * through untouched; {@link FailureMapper} finds it by type and turns it into the {@link #kind()} it carries.
 */
final class ResponseLimitException extends IOException {

  private static final long serialVersionUID = 1L;

  private final AgentCallException.Kind kind;

  ResponseLimitException(AgentCallException.Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  AgentCallException.Kind kind() {
    return kind;
  }
}
