package dev.sessionhub.agent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The application an {@link Agent} lives in: what it is, what it has open, and where its commands run.
 *
 * <p>The agent calls the describing methods from its server thread for every {@code server_data()}, so they must
 * be cheap and thread-safe: an application publishes a snapshot from its main thread (a volatile immutable list)
 * rather than letting the server walk live scene state. Commands are handed to {@link #mainThread()}, which must
 * run each task on the application's main thread, between its own work, in submission order.
 */
public interface SessionHost {

  /** Short application name, e.g. {@code blender}, {@code maya}, {@code headless}. */
  String app();

  /** Executable base name, e.g. {@code blender}. */
  String exe();

  /** Application version, e.g. {@code 4.2.1}. */
  default String appVersion() {
    return "";
  }

  /** The open file, {@code ""} when nothing is saved. */
  default String filePath() {
    return "";
  }

  /** Names of the objects in the open scene; a published snapshot, never live state. */
  default List<String> objectNames() {
    return List.of();
  }

  /** True when the application has no UI. */
  default boolean headless() {
    return false;
  }

  /**
   * Runs command tasks on the application's main thread. Tasks must run one at a time in submission order; the
   * agent bounds how many are queued, so the executor itself need not.
   */
  Executor mainThread();

  /**
   * True when {@link #mainThread()} really is the application's main thread (reported as {@code main_thread}).
   */
  default boolean runsOnMainThread() {
    return true;
  }

  /** Names to put into the session's Python namespace before the first command, e.g. {@code scene}. */
  default Map<String, Object> pythonGlobals() {
    return Map.of();
  }

  /** Extra facts for {@code GET /status} (e.g. frame times); called on the server thread, must be cheap. */
  default Map<String, Object> statusExtras() {
    return Map.of();
  }
}
