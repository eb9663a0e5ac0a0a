package dev.sessionhub.hub.impl.jobs;

import dev.sessionhub.shared.rpc.RpcCaller;

/**
 * Who asked for a job and through which interface ({@code rest}, {@code xml-rpc}); recorded on the job and in the
 * audit log.
 */
public record JobRequester(String channel, RpcCaller peer) {

  /** "rest from 10.0.0.5 (token)". */
  public String describe() {
    return channel + " from " + peer.describe();
  }
}
