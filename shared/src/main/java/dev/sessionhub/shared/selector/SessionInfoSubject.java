package dev.sessionhub.shared.selector;

import dev.sessionhub.shared.model.SessionInfo;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Adapts a {@link SessionInfo} (plus what only the hub knows: the address host it reached the session at, how it
 * found it, and its display name) to a {@link SelectorSubject}.
 *
 * <p>Empty strings and port 0 count as "no value", so {@code file=*} selects saved files and {@code !file=*}
 * unsaved ones. {@code host} has up to two values: the reported hostname and the address host. {@code name} is
 * the given name, else the session's {@code name} tag. Values are worked out once, in the constructor.
 */
public final class SessionInfoSubject implements SelectorSubject {
  private final SessionInfo info;
  private final List<String> hosts;
  private final List<String> port;
  private final List<String> source;
  private final List<String> name;

  /**
   * @param info the session's {@code server_data()}
   * @param addressHost the host the hub reached it at, or null
   * @param source {@code scan} or {@code announce}, or null
   * @param name the session's display name, or null to use its {@code name} tag
   */
  public SessionInfoSubject(SessionInfo info, String addressHost, String source, String name) {
    this.info = Objects.requireNonNull(info, "info");
    String host = info.hostname();
    if (addressHost == null || addressHost.isEmpty() || addressHost.equals(host)) {
      this.hosts = one(host);
    } else {
      this.hosts = host.isEmpty() ? List.of(addressHost) : List.of(host, addressHost);
    }
    this.port = info.port() > 0 ? List.of(Integer.toString(info.port())) : List.of();
    this.source = one(source);
    this.name = one(name != null && !name.isEmpty() ? name : info.tags().get("name"));
  }

  /** A subject with only what the session itself reports. */
  public SessionInfoSubject(SessionInfo info) {
    this(info, null, null, null);
  }

  /** The adapted session. */
  public SessionInfo info() {
    return info;
  }

  @Override
  public Collection<String> values(SelectorField field, String tagKey) {
    return switch (field) {
      case APP -> one(info.app());
      case EXE -> one(info.exe());
      case HOST -> hosts;
      case OBJECT -> info.sceneObjects();
      case TAG -> tagKey == null ? List.of() : one(info.tags().get(tagKey));
      case FILE -> one(info.filePath());
      case PORT -> port;
      case ID -> one(info.sessionId());
      case USER -> one(info.user());
      case SOURCE -> source;
      case NAME -> name;
    };
  }

  private static List<String> one(String value) {
    return value == null || value.isEmpty() ? List.of() : List.of(value);
  }
}
