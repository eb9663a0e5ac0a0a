package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Builds the job types that cross the cluster, by id; anything unknown is refused (null). */
public final class JobsSerializableFactory implements DataSerializableFactory {

  @Override
  public IdentifiedDataSerializable create(int typeId) {
    return typeId == RunBatchTask.CLASS_ID ? new RunBatchTask() : null;
  }
}
