package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * A job type that crosses the cluster: {@link IdentifiedDataSerializable} under the jobs factory ({@link
 * JobsSerializableFactory}, {@link RunBatchTask#FACTORY_ID}), never Java serialization. Subclasses write and read
 * their own fields and check every count and size they read.
 */
abstract class JobsSerializable implements IdentifiedDataSerializable {

  private final int classId;

  JobsSerializable(int classId) {
    this.classId = classId;
  }

  @Override
  public final int getFactoryId() {
    return RunBatchTask.FACTORY_ID;
  }

  @Override
  public final int getClassId() {
    return classId;
  }
}
