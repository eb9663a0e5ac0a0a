package dev.sessionhub.shared.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a session says about itself: the {@code server_data()} struct of the wire contract.
 *
 * <p>The first six fields are the Blender add-on's keys with the add-on's meaning; the rest are SessionHub's
 * additions. {@link #fromStruct(Map)} is lenient so that a foreign agent answering only the add-on's six keys
 * still reads as a session; {@link #toStruct()} always writes every key, with XML-RPC-safe types only (32-bit
 * ints, strings, booleans, arrays and structs) so that Python 2.7 and 3 clients read it unchanged.
 */
public record SessionInfo(
    String hostname,
    String appVersion,
    String filePath,
    String exe,
    List<String> sceneObjects,
    int pid,
    int port,
    String sessionId,
    String app,
    String agentVersion,
    String startedAt,
    boolean mainThread,
    boolean headless,
    String user,
    Map<String, String> tags) {

  /** Wire keys of {@code server_data()}. */
  public static final String HOSTNAME = "hostname";
  public static final String APP_VERSION = "app_version";
  public static final String FILE_PATH = "file_path";
  public static final String EXE = "exe";
  public static final String SCENE_OBJECTS = "scene_objects";
  public static final String PID = "pid";
  public static final String PORT = "port";
  public static final String SESSION_ID = "session_id";
  public static final String APP = "app";
  public static final String AGENT_VERSION = "agent_version";
  public static final String STARTED_AT = "started_at";
  public static final String MAIN_THREAD = "main_thread";
  public static final String HEADLESS = "headless";
  public static final String USER = "user";
  public static final String TAGS = "tags";

  public SessionInfo {
    hostname = nullToEmpty(hostname);
    appVersion = nullToEmpty(appVersion);
    filePath = nullToEmpty(filePath);
    exe = nullToEmpty(exe);
    sceneObjects = List.copyOf(sceneObjects == null ? List.of() : sceneObjects);
    sessionId = nullToEmpty(sessionId);
    app = app == null || app.isEmpty() ? exe : app;
    agentVersion = nullToEmpty(agentVersion);
    startedAt = nullToEmpty(startedAt);
    user = nullToEmpty(user);
    tags = Map.copyOf(tags == null ? Map.of() : tags);
  }

  /** The {@code server_data()} struct, every key present. */
  public Map<String, Object> toStruct() {
    Map<String, Object> struct = new LinkedHashMap<>();
    struct.put(HOSTNAME, hostname);
    struct.put(APP_VERSION, appVersion);
    struct.put(FILE_PATH, filePath);
    struct.put(EXE, exe);
    struct.put(SCENE_OBJECTS, new ArrayList<>(sceneObjects));
    struct.put(PID, pid);
    struct.put(PORT, port);
    struct.put(SESSION_ID, sessionId);
    struct.put(APP, app);
    struct.put(AGENT_VERSION, agentVersion);
    struct.put(STARTED_AT, startedAt);
    struct.put(MAIN_THREAD, mainThread);
    struct.put(HEADLESS, headless);
    struct.put(USER, user);
    struct.put(TAGS, new LinkedHashMap<>(tags));
    return struct;
  }

  /**
   * Reads a {@code server_data()} struct as any agent may send it. Missing keys take neutral defaults, numbers
   * may arrive as int, i8, double or numeric string, and {@code scene_objects} may be an array or the add-on's
   * comma-joined string.
   *
   * @throws IllegalArgumentException if the struct has no {@code exe}: by the contract it is then not a session
   */
  public static SessionInfo fromStruct(Map<String, ?> struct) {
    Objects.requireNonNull(struct, "struct");
    Object exe = struct.get(EXE);
    if (exe == null || String.valueOf(exe).isBlank()) {
      throw new IllegalArgumentException("server_data has no 'exe': not a session");
    }
    return new SessionInfo(
        text(struct.get(HOSTNAME)),
        text(struct.get(APP_VERSION)),
        text(struct.get(FILE_PATH)),
        String.valueOf(exe),
        names(struct.get(SCENE_OBJECTS)),
        integer(struct.get(PID)),
        integer(struct.get(PORT)),
        text(struct.get(SESSION_ID)),
        text(struct.get(APP)),
        text(struct.get(AGENT_VERSION)),
        text(struct.get(STARTED_AT)),
        bool(struct.get(MAIN_THREAD)),
        bool(struct.get(HEADLESS)),
        text(struct.get(USER)),
        stringMap(struct.get(TAGS)));
  }

  /** A copy that reports {@code port}, for agents that do not report their own. */
  public SessionInfo withPort(int newPort) {
    return new SessionInfo(hostname, appVersion, filePath, exe, sceneObjects, pid, newPort, sessionId, app,
        agentVersion, startedAt, mainThread, headless, user, tags);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static int integer(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value instanceof String s && !s.isBlank()) {
      try {
        return (int) Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.intValue() != 0;
    }
    return value instanceof String s && (s.equalsIgnoreCase("true") || s.equals("1"));
  }

  private static List<String> names(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof Collection<?> c) {
      c.forEach(v -> out.add(String.valueOf(v)));
    } else if (value instanceof Object[] a) {
      for (Object v : a) {
        out.add(String.valueOf(v));
      }
    } else if (value instanceof String s && !s.isEmpty()) {
      for (String part : s.split(",")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    }
    return out;
  }

  private static Map<String, String> stringMap(Object value) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    }
    return out;
  }
}
