package dev.sessionhub.hub.impl.jobs;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.impl.cluster.ClusterSecrets;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The part of a job that runs on the hub owning a set of sessions, sent there through Hazelcast's executor. It
 * travels as {@link IdentifiedDataSerializable} (strings and numbers, never Java serialization) and finds the
 * owner's {@link CommandRunner} in the member's user context. It blocks one executor thread of a bounded pool
 * while the calls run on the agent client's own bounded pool.
 */
public final class RunBatchTask extends JobsSerializable implements Callable<BatchReply>, HazelcastInstanceAware {

  public static final int FACTORY_ID = 7700;
  public static final int CLASS_ID = 1;
  public static final String EXECUTOR = "sessionhub.commands";
  private static final int MAX_SIGNATURE_BYTES = 64;
  static final int MAX_TARGETS = 1_000_000;

  private String jobId;
  private String code;
  private long timeoutMs;
  private Map<String, String> targets;
  private Set<String> timeoutAware;
  private Set<String> cancellable;
  private String coordinatorId;
  private long dispatchedAtMs;
  private long sendByMs;
  private byte[] signature = new byte[0];
  private transient HazelcastInstance hazelcast;

  public RunBatchTask() {
    super(CLASS_ID);
  }

  /**
   * @param targets      address → agent URL
   * @param timeoutAware the addresses whose agents take the job's timeout as {@code command}'s second parameter
   *                     (SessionHub agents), so they stop the code themselves when it runs over
   */
  public RunBatchTask(String jobId, String code, long timeoutMs, Map<String, String> targets,
      Set<String> timeoutAware, Set<String> cancellable, SendFence.BatchTicket ticket) {
    super(CLASS_ID);
    this.cancellable = new HashSet<>(cancellable);
    this.coordinatorId = ticket.coordinatorId();
    this.dispatchedAtMs = ticket.dispatchedAt().toEpochMilli();
    this.sendByMs = ticket.sendBy().toEpochMilli();
    this.jobId = jobId;
    this.code = code;
    this.timeoutMs = timeoutMs;
    this.targets = new LinkedHashMap<>(targets);
    this.timeoutAware = new HashSet<>(timeoutAware);
  }

  /** The same batch signed with the cluster's key, as members must send it when the cluster has a token. */
  public RunBatchTask signedWith(ClusterSecrets secrets) {
    signature = secrets.sign(signedBytes());
    return this;
  }

  /** Sets the signature as received (tests of forged batches). */
  RunBatchTask withSignature(byte[] signature) {
    this.signature = signature.clone();
    return this;
  }

  /** Everything the batch would make a hub do, in one canonical byte form. */
  private byte[] signedBytes() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      field(out, jobId);
      field(out, code);
      out.writeLong(timeoutMs);
      field(out, coordinatorId);
      out.writeLong(dispatchedAtMs);
      out.writeLong(sendByMs);
      out.writeInt(targets.size());
      for (Map.Entry<String, String> t : targets.entrySet()) {
        field(out, t.getKey());
        field(out, t.getValue());
        out.writeBoolean(timeoutAware.contains(t.getKey()));
        out.writeBoolean(cancellable.contains(t.getKey()));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void field(java.io.DataOutputStream out, String s) throws IOException {
    byte[] b = String.valueOf(s).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.hazelcast = instance;
  }

  @Override
  public BatchReply call() throws Exception {
    LocalHub.Parts hub = LocalHub.await(hazelcast, HUB_START_WAIT);
    if (hub == null) {
      throw new IllegalStateException("no hub runs on member " + hazelcast.getCluster().getLocalMember());
    }
    if (!hub.secrets().verify(signedBytes(), signature)) {
      throw new SecurityException("batch for job " + jobId + " refused: not signed with this cluster's token");
    }
    return BatchReply.of(hub.runner().run(jobId, code, Duration.ofMillis(timeoutMs), targets, timeoutAware,
            cancellable, ticket())
        .toCompletionStage().toCompletableFuture()
        .get(timeoutMs + 30_000, TimeUnit.MILLISECONDS));
  }

  private SendFence.BatchTicket ticket() {
    return new SendFence.BatchTicket(coordinatorId, java.time.Instant.ofEpochMilli(dispatchedAtMs),
        java.time.Instant.ofEpochMilli(sendByMs));
  }

  /** How long a batch waits for this member's starting hub ({@link LocalHub}). */
  private static final Duration HUB_START_WAIT = Duration.ofSeconds(15);

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(jobId);
    out.writeString(code);
    out.writeLong(timeoutMs);
    out.writeString(coordinatorId);
    out.writeLong(dispatchedAtMs);
    out.writeLong(sendByMs);
    out.writeInt(targets.size());
    for (Map.Entry<String, String> t : targets.entrySet()) {
      out.writeString(t.getKey());
      out.writeString(t.getValue());
      out.writeBoolean(timeoutAware.contains(t.getKey()));
      out.writeBoolean(cancellable.contains(t.getKey()));
    }
    out.writeByteArray(signature);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    jobId = in.readString();
    code = in.readString();
    timeoutMs = in.readLong();
    coordinatorId = in.readString();
    dispatchedAtMs = in.readLong();
    sendByMs = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > MAX_TARGETS) {
      throw new IOException("batch of " + n + " targets refused");
    }
    targets = new LinkedHashMap<>();
    timeoutAware = new HashSet<>();
    cancellable = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String address = in.readString();
      targets.put(address, in.readString());
      if (in.readBoolean()) {
        timeoutAware.add(address);
      }
      if (in.readBoolean()) {
        cancellable.add(address);
      }
    }
    byte[] sig = in.readByteArray();
    if (sig == null || sig.length > MAX_SIGNATURE_BYTES) {
      throw new IOException("batch signature refused");
    }
    signature = sig;
  }
}
