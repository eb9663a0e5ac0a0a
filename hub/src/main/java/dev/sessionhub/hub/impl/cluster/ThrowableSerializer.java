package dev.sessionhub.hub.impl.cluster;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import java.io.IOException;
import java.lang.reflect.Constructor;

/**
 * Carries exceptions between members without Java serialization. Hazelcast sends a remote failure (a partition
 * migrating, a member leaving, a failed task) as the exception object, through Java serialization by default;
 * with Java deserialization refused ({@code -Djdk.serialFilter=!*}) such a response was dropped and the call
 * waited forever. This writes the class name, message, stack trace and cause; the reader re-creates the same
 * class when it is a {@link Throwable} with a {@code (String)} constructor (so Hazelcast's retry logic, which
 * goes by exception type, still works), and a {@link HazelcastException} naming it otherwise. The named class is
 * loaded without initialisation and checked to be a {@code Throwable} before anything of it runs.
 */
public final class ThrowableSerializer implements StreamSerializer<Throwable> {

  public static final int TYPE_ID = 7701;
  private static final int MAX_CAUSES = 8;
  private static final int MAX_FRAMES = 64;

  @Override
  public int getTypeId() {
    return TYPE_ID;
  }

  @Override
  public void write(ObjectDataOutput out, Throwable t) throws IOException {
    write(out, t, 0);
  }

  private static void write(ObjectDataOutput out, Throwable t, int depth) throws IOException {
    out.writeString(t.getClass().getName());
    out.writeString(t.getMessage());
    StackTraceElement[] frames = t.getStackTrace();
    int n = Math.min(frames.length, MAX_FRAMES);
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      StackTraceElement f = frames[i];
      out.writeString(f.getClassName());
      out.writeString(f.getMethodName());
      out.writeString(f.getFileName());
      out.writeInt(f.getLineNumber());
    }
    Throwable cause = t.getCause();
    boolean more = cause != null && cause != t && depth < MAX_CAUSES;
    out.writeBoolean(more);
    if (more) {
      write(out, cause, depth + 1);
    }
  }

  @Override
  public Throwable read(ObjectDataInput in) throws IOException {
    return read(in, 0);
  }

  private static Throwable read(ObjectDataInput in, int depth) throws IOException {
    if (depth > MAX_CAUSES) {
      throw new IOException("exception cause chain deeper than " + MAX_CAUSES);
    }
    String className = in.readString();
    String message = in.readString();
    int n = in.readInt();
    if (n < 0 || n > MAX_FRAMES) {
      throw new IOException("bad stack trace length " + n);
    }
    StackTraceElement[] frames = new StackTraceElement[n];
    for (int i = 0; i < n; i++) {
      String cls = in.readString();
      String method = in.readString();
      String file = in.readString();
      int line = in.readInt();
      frames[i] = new StackTraceElement(String.valueOf(cls), String.valueOf(method), file, line);
    }
    Throwable cause = in.readBoolean() ? read(in, depth + 1) : null;
    Throwable t = instantiate(className, message);
    t.setStackTrace(frames);
    if (cause != null && t.getCause() == null) {
      try {
        t.initCause(cause);
      } catch (IllegalStateException | IllegalArgumentException ignored) {
        // the class set its cause itself
      }
    }
    return t;
  }

  private static Throwable instantiate(String className, String message) {
    try {
      Class<?> type = Class.forName(String.valueOf(className), false, ThrowableSerializer.class.getClassLoader());
      if (Throwable.class.isAssignableFrom(type)) {
        Constructor<?> constructor = type.getConstructor(String.class);
        return (Throwable) constructor.newInstance(message);
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException ignored) {
      // not a throwable we can re-create: described below
    }
    return new HazelcastException(className + (message == null ? "" : ": " + message));
  }
}
