package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.partition.PartitioningStrategy;

/**
 * Puts all of a job's results in one partition: a result key is {@code jobId|…} and its partition is the job
 * id's. A batch of results is then one operation on one member (and one backup), and reading a job's results is
 * one operation too, instead of one per partition, each hashing every key asked for. The price: one job's results
 * live on one member, as its job record does.
 */
final class JobPartitioning implements PartitioningStrategy<Object> {

  @Override
  public Object getPartitionKey(Object key) {
    if (key instanceof String s) {
      int bar = s.indexOf('|');
      return bar > 0 ? s.substring(0, bar) : s;
    }
    return key;
  }
}
