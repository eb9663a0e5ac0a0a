package dev.sessionhub.agent.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headless session's scene graph, reached by commands as {@code scene}: {@code scene.add('Sphere', 'MESH')},
 * {@code scene.remove(name)}, {@code scene.objects()}.
 *
 * <p>Only the main thread touches it. After each frame the main loop {@link #publish()}es an immutable list of
 * names, which is all the server thread ever reads (for {@code server_data} and {@code scene_objects}).
 */
public final class Scene {

  private final Map<String, SceneObject> objects = new LinkedHashMap<>();
  private volatile List<String> published = List.of();
  private boolean dirty;
  private double checksum;

  /** A scene with a camera, a light and a cube, like a new Blender file. */
  public static Scene withDefaults() {
    Scene scene = new Scene();
    scene.add("Camera", "CAMERA");
    scene.add("Light", "LIGHT");
    scene.add("Cube", "MESH");
    scene.publish();
    return scene;
  }

  /** Adds an object and returns its name, suffixed {@code .001}, {@code .002}… when taken, as Blender does. */
  public String add(String name, String type) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("object name is empty");
    }
    String unique = name;
    for (int n = 1; objects.containsKey(unique); n++) {
      unique = String.format("%s.%03d", name, n);
    }
    objects.put(unique, new SceneObject(unique, type == null ? "MESH" : type.toUpperCase()));
    dirty = true;
    return unique;
  }

  public String add(String name) {
    return add(name, "MESH");
  }

  /** Removes an object; false if there was none of that name. */
  public boolean remove(String name) {
    boolean removed = objects.remove(name) != null;
    dirty |= removed;
    return removed;
  }

  public void clear() {
    dirty |= !objects.isEmpty();
    objects.clear();
  }

  /** The object of that name, or null. */
  public SceneObject get(String name) {
    return objects.get(name);
  }

  /** Names of all objects, in creation order. */
  public List<String> objects() {
    return new ArrayList<>(objects.keySet());
  }

  public int count() {
    return objects.size();
  }

  /**
   * One frame of scene evaluation: moves every object along its path and runs {@code work} units of
   * deterministic arithmetic standing in for a real application's evaluation cost.
   */
  void evaluate(long frame, int work) {
    double t = frame / 60.0;
    int i = 0;
    for (SceneObject o : objects.values()) {
      double phase = t + i++;
      double[] loc = o.getLocation();
      o.setLocation(loc[0] * 0.5 + Math.sin(phase) * 0.5, loc[1] * 0.5 + Math.cos(phase) * 0.5, loc[2]);
    }
    double acc = checksum;
    for (int k = 0; k < work; k++) {
      acc = acc * 0.999_999 + Math.sqrt(k + acc * acc + 1.0);
    }
    checksum = acc % 1_000_000.0;
  }

  /** Publishes the object names for other threads if they changed since the last call. */
  void publish() {
    if (dirty) {
      published = List.copyOf(objects.keySet());
      dirty = false;
    }
  }

  /** The last published names; safe from any thread. */
  public List<String> publishedNames() {
    return published;
  }

  @Override
  public String toString() {
    return "<Scene with " + objects.size() + " objects>";
  }
}
