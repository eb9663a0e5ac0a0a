package dev.sessionhub.hub.impl.inventory;

import dev.sessionhub.shared.model.SessionInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of a {@link SessionRecord}: how it is stored in Hazelcast (as {@code HazelcastJsonValue}, never
 * Java serialization) and how the REST API shows it.
 *
 * <p>Besides the record's fields the stored form carries {@code q}: the values selectors query, normalised
 * (lower case where matching is case-insensitive) so Hazelcast predicates and indexes can answer them directly.
 */
public final class SessionRecordJson {

  private SessionRecordJson() {
  }

  /** The API view: record fields plus every server_data key at the top level. */
  public static JsonObject toApi(SessionRecord r) {
    JsonObject json = new JsonObject()
        .put("address", r.address())
        .put("host", r.host())
        .put("port", r.port())
        .put("url", r.url())
        .put("source", r.source().wire())
        .put("hub", r.hubId())
        .put("first_seen", r.firstSeen().toString())
        .put("last_seen", r.lastSeen().toString())
        .put("lease_ms", r.lease().toMillis());
    Map<String, Object> data = r.info().toStruct();
    data.forEach((k, v) -> json.put(k, v instanceof List<?> l ? new JsonArray(new java.util.ArrayList<>(l))
        : v instanceof Map<?, ?> m ? new JsonObject(new java.util.LinkedHashMap<>(castMap(m))) : v));
    json.put("object_count", r.info().sceneObjects().size());
    json.put("name", r.info().tags().getOrDefault("name", ""));
    return json;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /** The stored form: the API view plus the query block {@code q}. */
  public static JsonObject toStored(SessionRecord r) {
    SessionInfo i = r.info();
    JsonObject tags = new JsonObject();
    i.tags().forEach(tags::put);
    JsonObject q = new JsonObject()
        .put("app", lower(i.app()))
        .put("exe", lower(i.exe()))
        .put("host", new JsonArray().add(lower(i.hostname())).add(lower(r.host())))
        .put("object", new JsonArray(new java.util.ArrayList<>(i.sceneObjects())))
        .put("file", i.filePath())
        .put("port", String.valueOf(r.port()))
        .put("id", i.sessionId())
        .put("user", lower(i.user()))
        .put("source", r.source().wire())
        .put("name", i.tags().getOrDefault("name", ""))
        .put("tag", tags);
    return toApi(r).put("q", q);
  }

  public static SessionRecord fromStored(JsonObject json) {
    Map<String, Object> struct = new java.util.LinkedHashMap<>();
    for (String key : List.of(SessionInfo.HOSTNAME, SessionInfo.APP_VERSION, SessionInfo.FILE_PATH, SessionInfo.EXE,
        SessionInfo.SCENE_OBJECTS, SessionInfo.PID, SessionInfo.PORT, SessionInfo.SESSION_ID, SessionInfo.APP,
        SessionInfo.AGENT_VERSION, SessionInfo.STARTED_AT, SessionInfo.MAIN_THREAD, SessionInfo.HEADLESS,
        SessionInfo.USER, SessionInfo.TAGS)) {
      Object v = json.getValue(key);
      struct.put(key, v instanceof JsonArray a ? a.getList() : v instanceof JsonObject o ? o.getMap() : v);
    }
    return new SessionRecord(json.getString("address"), json.getString("host"), json.getInteger("port"),
        json.getString("url"), SessionInfo.fromStruct(struct), Source.fromWire(json.getString("source")),
        json.getString("hub", ""), Instant.parse(json.getString("first_seen")),
        Instant.parse(json.getString("last_seen")), Duration.ofMillis(json.getLong("lease_ms", 15_000L)));
  }

  static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
