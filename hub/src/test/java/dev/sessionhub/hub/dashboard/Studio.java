package dev.sessionhub.hub.dashboard;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.SessionHost;
import dev.sessionhub.agent.SessionThread;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Real agents that look like a studio's applications (Blender, Maya, Houdini…): each its own app name, open
 * file, scene objects and session thread, and a {@code shot} name in its Python namespace so one broadcast can
 * behave differently per session. Closes what it started.
 */
final class Studio implements AutoCloseable {

  /** One running session. */
  record Session(Agent agent, Host host) {
    String address() {
      return agent.url().replace("http://", "").replace("/", "");
    }
  }

  /** The application side of a session: what it reports, and a dedicated thread for its commands. */
  static final class Host implements SessionHost, AutoCloseable {
    private final String app;
    private final String version;
    private final String file;
    private final List<String> objects;
    private final String shot;
    private final SessionThread thread;

    Host(String app, String version, String file, List<String> objects, String shot) {
      this.app = app;
      this.version = version;
      this.file = file;
      this.objects = List.copyOf(objects);
      this.shot = shot;
      this.thread = new SessionThread("dashboard-" + app + "-" + shot);
    }

    @Override
    public String app() {
      return app;
    }

    @Override
    public String exe() {
      return app;
    }

    @Override
    public String appVersion() {
      return version;
    }

    @Override
    public String filePath() {
      return file;
    }

    @Override
    public List<String> objectNames() {
      return objects;
    }

    @Override
    public Executor mainThread() {
      return thread;
    }

    @Override
    public boolean runsOnMainThread() {
      return false;
    }

    @Override
    public Map<String, Object> pythonGlobals() {
      return Map.of("shot", shot);
    }

    @Override
    public void close() {
      thread.close();
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final List<Session> running = new ArrayList<>();

  Session start(AgentOptions options, String app, String version, String file, String shot, String... objects)
      throws Exception {
    Host host = new Host(app, version, file, List.of(objects), shot);
    try {
      Agent agent = Agent.start(vertx, options, host).await(30, TimeUnit.SECONDS);
      Session session = new Session(agent, host);
      running.add(session);
      return session;
    } catch (Exception e) {
      host.close();
      throw e;
    }
  }

  /** Stops a session as its application exiting would: an announced one deregisters from its hub. */
  void stop(Session session) throws Exception {
    running.remove(session);
    try {
      session.agent().close().await(10, TimeUnit.SECONDS);
    } finally {
      session.host().close();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      for (Session s : List.copyOf(running)) {
        stop(s);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
