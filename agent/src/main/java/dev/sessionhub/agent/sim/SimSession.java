package dev.sessionhub.agent.sim;

import dev.sessionhub.agent.SessionHost;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** One simulated session: a name, a few scene objects, and a serial command lane on the farm's shared pool. */
final class SimSession implements SessionHost {

  private static final String[] APPS = {"blender", "maya", "houdini", "nuke"};
  private final int index;
  private final Executor lane;
  private final List<String> objects;

  SimSession(int index, Executor pool) {
    this.index = index;
    this.lane = new SerialExecutor(pool);
    this.objects = List.of("Camera", "Light", "Cube" + index);
  }

  @Override
  public String app() {
    return APPS[index % APPS.length];
  }

  @Override
  public String exe() {
    return app();
  }

  @Override
  public String appVersion() {
    return "sim";
  }

  @Override
  public String filePath() {
    return "/shows/sim/sh" + String.format("%03d", index % 1000) + ".scene";
  }

  @Override
  public List<String> objectNames() {
    return objects;
  }

  @Override
  public boolean headless() {
    return true;
  }

  @Override
  public boolean runsOnMainThread() {
    return false;
  }

  @Override
  public Executor mainThread() {
    return lane;
  }

  @Override
  public Map<String, Object> pythonGlobals() {
    return Map.of("session_index", index);
  }
}
