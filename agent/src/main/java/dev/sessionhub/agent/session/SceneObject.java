package dev.sessionhub.agent.session;

/**
 * A named object in the headless {@link Scene}: a type such as {@code MESH} or {@code CAMERA} and a location.
 * Mutable, and touched only by the session's main thread.
 */
public final class SceneObject {

  private final String name;
  private final String type;
  private double x;
  private double y;
  private double z;

  SceneObject(String name, String type) {
    this.name = name;
    this.type = type;
  }

  public String getName() {
    return name;
  }

  public String getType() {
    return type;
  }

  public double[] getLocation() {
    return new double[] {x, y, z};
  }

  public void setLocation(double x, double y, double z) {
    this.x = x;
    this.y = y;
    this.z = z;
  }

  @Override
  public String toString() {
    return "<" + type + " '" + name + "' at (" + x + ", " + y + ", " + z + ")>";
  }
}
