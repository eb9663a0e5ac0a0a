package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Builds the job types that cross the cluster, by id; anything unknown is refused (null). */
public final class JobsSerializableFactory implements DataSerializableFactory {

  @Override
  public IdentifiedDataSerializable create(int typeId) {
    return switch (typeId) {
      case RunBatchTask.CLASS_ID -> new RunBatchTask();
      case FirstResultWins.CLASS_ID -> new FirstResultWins();
      case BatchReply.CLASS_ID -> new BatchReply();
      default -> null;
    };
  }
}
