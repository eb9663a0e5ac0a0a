package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.python.PythonAgentFiles;
import dev.sessionhub.hub.testing.HubCluster;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub with a token serves the Python agent and the Blender add-on at stable URLs without the token (they are
 * the agent's own code): the same bytes the agent module ships, the add-on a zip Blender installs.
 */
class AgentDownloadsTest {

  private static HubCluster cluster;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    cluster = HubCluster.start(1, o -> o.setToken("downloads-token-0123456789"));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(cluster.node(0).url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void thePythonAgentIsServedWithoutTheToken() throws Exception {
    HttpResponse<byte[]> r = get("/downloads/sessionhub_agent.py");
    assertEquals(200, r.statusCode());
    assertArrayEquals(PythonAgentFiles.agentModule(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/x-python"));
  }

  @Test
  void theBlenderAddOnIsAZipWithTheAddOnPackage() throws Exception {
    HttpResponse<byte[]> r = get("/downloads/sessionhub_blender.zip");
    assertEquals(200, r.statusCode());
    Set<String> names = new HashSet<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        names.add(e.getName());
      }
    }
    assertTrue(names.contains("sessionhub_blender/__init__.py"), names.toString());
    assertEquals(401, get("/api/sessions").statusCode(), "everything else still needs the token");
    assertEquals(401, get("/downloads/../api/sessions").statusCode());
  }
}
