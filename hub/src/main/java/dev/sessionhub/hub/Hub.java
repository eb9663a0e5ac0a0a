package dev.sessionhub.hub;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.impl.HubImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * A running hub: an HTTP/XML-RPC server over the cluster-wide inventory, scanning its share of the targets.
 * The Hazelcast member is injected: the hub never shuts down an instance it did not create.
 */
public interface Hub {

  static Future<Hub> start(Vertx vertx, HazelcastInstance hazelcast, HubOptions options) {
    return HubImpl.start(vertx, hazelcast, new HubOptions(options).validate(), Clock.systemUTC());
  }

  /** The HTTP port actually bound. */
  int httpPort();

  /** {@code http://host:port} of the API, without credentials. */
  String url();

  /** Runs one discovery cycle now (besides the periodic ones) and reports it. */
  Future<HubStatus> scanNow();

  /** Stops scanning and serving; leaves the Hazelcast member to its owner. */
  Future<Void> close();
}
