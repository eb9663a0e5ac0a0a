package dev.sessionhub.agent.testing;

import dev.sessionhub.agent.SessionHost;
import dev.sessionhub.agent.SessionThread;
import java.util.List;
import java.util.concurrent.Executor;

/** A minimal embedding application for agent tests: a Java tool with a dedicated command thread. */
public final class TestHost implements SessionHost, AutoCloseable {

  private final SessionThread thread;
  private volatile List<String> objects = List.of("Cube", "Camera");

  public TestHost(String name) {
    this.thread = new SessionThread(name);
  }

  public void publish(List<String> names) {
    this.objects = List.copyOf(names);
  }

  @Override
  public String app() {
    return "testapp";
  }

  @Override
  public String exe() {
    return "testapp-bin";
  }

  @Override
  public String appVersion() {
    return "1.2.3";
  }

  @Override
  public String filePath() {
    return "/shows/demo/sh010.blend";
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
  public void close() {
    thread.close();
  }
}
