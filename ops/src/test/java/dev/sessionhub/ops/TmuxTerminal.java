package dev.sessionhub.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real terminal: an interactive bash in a tmux session on a private socket (no other tmux is touched), with
 * everything the terminal shows copied to a file. What a user types, the test types with {@link #type}; Ctrl-C
 * is {@code keys("C-c")}; {@link #kill} closes the terminal as closing its window does.
 */
final class TmuxTerminal implements AutoCloseable {

  private static final String SESSION = "t";

  private final Path socket;
  private final Path screen;

  private TmuxTerminal(Path socket, Path screen) {
    this.socket = socket;
    this.screen = screen;
  }

  /** Whether tmux runs here. */
  static boolean available() {
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A 250x50 terminal running {@code bash --noprofile --norc} in {@code workDir}; its socket and screen in {@code dir}. */
  static TmuxTerminal open(Path dir, Path workDir) throws IOException, InterruptedException {
    TmuxTerminal terminal = new TmuxTerminal(dir.resolve("tmux.sock"), dir.resolve("screen.log"));
    Files.createFile(terminal.screen);
    terminal.tmux("new-session", "-d", "-s", SESSION, "-x", "250", "-y", "50", "-c", workDir.toString(),
        "bash", "--noprofile", "--norc");
    terminal.tmux("pipe-pane", "-t", SESSION, "-o", "cat >> '" + terminal.screen + "'");
    return terminal;
  }

  /** Types {@code line} and Enter. */
  void type(String line) throws IOException, InterruptedException {
    tmux("send-keys", "-t", SESSION, "-l", line);
    tmux("send-keys", "-t", SESSION, "Enter");
  }

  /** Presses keys, in tmux's names (e.g. C-c). */
  void keys(String... keys) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  /** Everything the terminal has shown so far (raw, as the programs wrote it). */
  String screen() throws IOException {
    return Files.readString(screen, StandardCharsets.UTF_8);
  }

  /** The shell's process. */
  ProcessHandle shell() throws IOException, InterruptedException {
    long pid = Long.parseLong(tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").trim());
    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("the terminal's shell " + pid + " is gone"));
  }

  /** Closes the terminal, as closing its window does (tmux kill-session: the shell gets SIGHUP). */
  void kill() throws IOException, InterruptedException {
    tmux("kill-session", "-t", SESSION);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (Files.exists(socket)) {
      run("kill-server");
    }
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    Result r = run(args);
    if (r.exit != 0) {
      throw new IOException("tmux " + String.join(" ", args) + " failed (" + r.exit + "): " + r.output);
    }
    return r.output;
  }

  private record Result(int exit, String output) {
  }

  private Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.remove("TMUX");       // a test run from inside tmux still makes a terminal of its own
    env.put("HISTFILE", "");  // the shell keeps no history file
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("tmux " + String.join(" ", args) + " did not finish in 30 s");
    }
    return new Result(p.exitValue(), output);
  }
}
