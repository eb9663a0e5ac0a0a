package dev.sessionhub.agent.testing;

import java.nio.charset.StandardCharsets;

/**
 * Hostile and broken XML-RPC bodies, shared by the agent's and the hub's bad-input suites (and by hostile
 * agents answering the hub): XXE in its three forms, an entity bomb, nesting past any sane depth, broken UTF-8.
 */
public final class XmlPayloads {

  public static final String PROLOG = "<?xml version=\"1.0\"?>";

  private XmlPayloads() {
  }

  /** {@code <methodCall>} with the given {@code <value>} contents as params, e.g. {@code <int>1</int>}. */
  public static String call(String method, String... valueContents) {
    StringBuilder xml = new StringBuilder(PROLOG + "<methodCall><methodName>" + method + "</methodName><params>");
    for (String v : valueContents) {
      xml.append("<param><value>").append(v).append("</value></param>");
    }
    return xml.append("</params></methodCall>").toString();
  }

  /** A {@code <string>} value content, escaped. */
  public static String str(String s) {
    return "<string>" + s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</string>";
  }

  /** A call whose method name is an external general entity fetched from {@code url}. */
  public static String externalEntity(String url) {
    return PROLOG + "<!DOCTYPE methodCall [<!ENTITY x SYSTEM \"" + url + "\">]>"
        + "<methodCall><methodName>server_data</methodName><params><param><value><string>&x;</string></value>"
        + "</param></params></methodCall>";
  }

  /** A parameter entity that loads a DTD from {@code url} inside the internal subset. */
  public static String parameterEntity(String url) {
    return PROLOG + "<!DOCTYPE methodCall [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]>"
        + "<methodCall><methodName>server_data</methodName></methodCall>";
  }

  /** A DOCTYPE naming an external DTD at {@code url}. */
  public static String externalDtd(String root, String body, String url) {
    return PROLOG + "<!DOCTYPE " + root + " SYSTEM \"" + url + "\">" + body;
  }

  /** The classic billion laughs (10^9 "lol"s) around {@code root}; {@code hole} marks where the entity goes. */
  public static String billionLaughs(String documentWithHole) {
    StringBuilder bomb = new StringBuilder(PROLOG + "<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for (int i = 1; i <= 9; i++) {
      bomb.append("<!ENTITY lol").append(i).append(" \"");
      for (int j = 0; j < 10; j++) {
        bomb.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
      }
      bomb.append("\">");
    }
    return bomb.append("]>").append(documentWithHole.replace("HOLE", "&lol9;")).toString();
  }

  /** A call with one param: {@code depth} nested arrays. */
  public static String nestedArrays(String method, int depth) {
    return call(method, "<array><data><value>".repeat(depth - 1) + "<array><data><value><int>1</int></value>"
        + "</data></array>" + "</value></data></array>".repeat(depth - 1));
  }

  /** A call with one param: {@code depth} nested structs. */
  public static String nestedStructs(String method, int depth) {
    return call(method, "<struct><member><name>k</name><value>".repeat(depth - 1)
        + "<struct><member><name>k</name><value><int>1</int></value></member></struct>"
        + "</value></member></struct>".repeat(depth - 1));
  }

  /** {@code depth} nested elements that are not XML-RPC at all, inside a call. */
  public static String nestedElements(int depth) {
    return PROLOG + "<methodCall><methodName>server_data</methodName><params>" + "<a>".repeat(depth)
        + "</a>".repeat(depth) + "</params></methodCall>";
  }

  /** A {@code command} call whose code string carries {@code bad} raw bytes. */
  public static byte[] commandWithBytes(byte... bad) {
    byte[] head = (PROLOG + "<methodCall><methodName>command</methodName><params><param><value><string>")
        .getBytes(StandardCharsets.UTF_8);
    byte[] tail = "</string></value></param></params></methodCall>".getBytes(StandardCharsets.UTF_8);
    return Wire.concat(head, bad, tail);
  }
}
