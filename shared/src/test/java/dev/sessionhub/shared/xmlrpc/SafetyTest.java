package dev.sessionhub.shared.xmlrpc;

import static dev.sessionhub.shared.xmlrpc.Fixtures.CODEC;
import static dev.sessionhub.shared.xmlrpc.Fixtures.assertCodecError;
import static dev.sessionhub.shared.xmlrpc.Fixtures.callError;
import static dev.sessionhub.shared.xmlrpc.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile and broken input: always an XmlRpcCodecException with the right code, never a fetch. */
class SafetyTest {
  private static final String CALL = "<methodCall><methodName>m</methodName></methodCall>";

  @Test
  void doctypeIsRefusedAndNothingIsFetched() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String base = "http://127.0.0.1:" + server.getLocalPort();
      List<String> bodies = List.of(
          "<?xml version=\"1.0\"?><!DOCTYPE methodCall SYSTEM \"" + base + "/x.dtd\">" + CALL,
          "<!DOCTYPE methodCall PUBLIC \"-//x//y\" \"" + base + "/p.dtd\">" + CALL,
          "<!DOCTYPE m [<!ENTITY e SYSTEM \"" + base + "/e\">]>"
              + "<methodCall><methodName>&e;</methodName></methodCall>",
          "<!DOCTYPE m [<!ENTITY % p SYSTEM \"" + base + "/p\"> %p;]>" + CALL,
          "<!DOCTYPE methodCall>" + CALL);
      for (String body : bodies) {
        callError(FaultCode.PARSE_ERROR, "DOCTYPE is not allowed", body);
        assertCodecError(FaultCode.PARSE_ERROR, "DOCTYPE is not allowed",
            () -> CODEC.decodeResponse(utf8(body)));
      }
      // A fetch would have completed its TCP handshake before decoding returned, so a
      // connection would already be queued; a short accept timeout proves there is none.
      server.setSoTimeout(50);
      assertThrows(SocketTimeoutException.class, server::accept, "the parser connected out");
      // Control: the same check does see a real connection.
      server.setSoTimeout(10_000);
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          Socket accepted = server.accept()) {
        assertTrue(accepted.isConnected() && client.isConnected());
      }
    }
  }

  @Test
  void billionLaughsIsRefused() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i < 10; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"");
      dtd.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
    }
    dtd.append("]>");
    callError(FaultCode.PARSE_ERROR, "DOCTYPE is not allowed",
        dtd + "<methodCall><methodName>&lol9;</methodName></methodCall>");
  }

  @Test
  void undefinedEntityIsAParseError() {
    callError(FaultCode.PARSE_ERROR, "foo", "<methodCall><methodName>&foo;</methodName></methodCall>");
    assertCodecError(FaultCode.PARSE_ERROR, "bar", () -> Fixtures.decodeValue("<string>&bar;</string>"));
  }

  @Test
  void malformedTruncatedAndEmptyBodies() {
    callError(FaultCode.PARSE_ERROR, "malformed XML", "<methodCall><methodName>m</methodCall>");
    callError(FaultCode.PARSE_ERROR, "malformed XML", "<methodCall><methodName>m</methodName></methodCall><x/>");
    callError(FaultCode.PARSE_ERROR, "malformed XML", "not xml at all");
    callError(FaultCode.PARSE_ERROR, "malformed XML", "   ");
    callError(FaultCode.PARSE_ERROR, "malformed XML", "<methodCall a='1' a='2'/>");
    callError(FaultCode.PARSE_ERROR, "malformed XML", "<methodCall><methodName>\u0001</methodName></methodCall>");
    callError(FaultCode.PARSE_ERROR, "empty", "");
    assertCodecError(FaultCode.PARSE_ERROR, "empty", () -> CODEC.decodeCall(null));
    assertCodecError(FaultCode.PARSE_ERROR, "empty", () -> CODEC.decodeResponse(new byte[0]));

    byte[] full = CODEC.encodeCall("m", List.of(1, "s", List.of(2.5), java.util.Map.of("k", true)));
    int lastTag = Fixtures.text(full).lastIndexOf('>');
    for (int length = 1; length <= lastTag; length++) {
      byte[] prefix = Arrays.copyOf(full, length);
      assertCodecError(FaultCode.PARSE_ERROR, "", () -> CODEC.decodeCall(prefix));
    }
  }

  /**
   * Found by XmlRpcCodecFuzzTest (round trip): XML 1.1 lets {@code &#x1;} through, which the encoder, writing XML
   * 1.0, can only turn into U+FFFD; so XML 1.1 is refused like any other unsupported XML.
   */
  @Test
  void onlyXml10IsRead() throws Exception {
    String call = "<methodCall><methodName>m</methodName><params><param><value>&#x1;</value></param></params>"
        + "</methodCall>";
    callError(FaultCode.PARSE_ERROR, "XML version '1.1' is not supported, only 1.0", "<?xml version=\"1.1\"?>" + call);
    callError(FaultCode.PARSE_ERROR, "XML version '1.1' is not supported, only 1.0",
        "<?xml version='1.1'?><methodCall><methodName>m</methodName></methodCall>");
    assertCodecError(FaultCode.PARSE_ERROR, "XML version '1.1' is not supported",
        () -> CODEC.decodeResponse(utf8("<?xml version=\"1.1\"?><methodResponse><params><param><value>x</value>"
            + "</param></params></methodResponse>")));
    callError(FaultCode.PARSE_ERROR, "malformed XML", "<?xml version=\"1.0\"?>" + call);
    assertEquals("m", CODEC.decodeCall(utf8("<?xml version=\"1.0\"?><methodCall><methodName>m</methodName>"
        + "</methodCall>")).methodName());
  }

  @Test
  void invalidUtf8IsAParseError() {
    byte[][] bad = {
        {(byte) 0xC3, (byte) 0x28},                         // bad continuation
        {(byte) 0xC0, (byte) 0xAF},                         // overlong '/'
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},            // encoded surrogate
        {(byte) 0xF0, (byte) 0x9F},                         // truncated 4-byte sequence
        {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        {(byte) 0xFF},
    };
    for (byte[] seq : bad) {
      byte[] head = utf8("<methodCall><methodName>");
      byte[] tail = utf8("</methodName></methodCall>");
      byte[] body = new byte[head.length + seq.length + tail.length];
      System.arraycopy(head, 0, body, 0, head.length);
      System.arraycopy(seq, 0, body, head.length, seq.length);
      System.arraycopy(tail, 0, body, head.length + seq.length, tail.length);
      XmlRpcCodecException e = assertCodecError(FaultCode.PARSE_ERROR, "invalid UTF-8",
          () -> CODEC.decodeCall(body));
      assertTrue(e.getMessage().endsWith("offset " + head.length), e.getMessage());
    }
  }

  @Test
  void oversizedBodyIsRejectedBeforeParsing() throws Exception {
    XmlRpcCodec small = new XmlRpcCodec(new CodecLimits(32, 100));
    byte[] junk = new byte[101]; // not even XML: the size check comes first
    assertCodecError(FaultCode.INVALID_REQUEST, "request body exceeds 100 bytes", () -> small.decodeCall(junk));
    assertCodecError(FaultCode.INVALID_REQUEST, "body exceeds 100 bytes", () -> small.decodeResponse(junk));
    byte[] exact = utf8(CALL + " ".repeat(100 - CALL.length()));
    assertEquals("m", small.decodeCall(exact).methodName());
  }

  private static String nestedArrays(int levels) {
    return "<array><data><value>".repeat(levels) + "x" + "</value></data></array>".repeat(levels);
  }

  @Test
  void nestingBeyondTheLimitIsRejected() throws Exception {
    assertCodecError(FaultCode.INVALID_REQUEST, "limit of 32", () -> Fixtures.decodeValue(nestedArrays(100)));
    assertCodecError(FaultCode.INVALID_REQUEST, "limit of 32", () -> Fixtures.decodeValue(nestedArrays(33)));
    Object ok = Fixtures.decodeValue(nestedArrays(32));
    for (int i = 0; i < 32; i++) {
      ok = ((List<?>) ok).get(0);
    }
    assertEquals("x", ok);
    String structs = "<struct><member><name>n</name><value>".repeat(40)
        + "</value></member></struct>".repeat(40);
    assertCodecError(FaultCode.INVALID_REQUEST, "limit of 32", () -> Fixtures.decodeValue(structs));
    XmlRpcCodec shallow = new XmlRpcCodec(new CodecLimits(2, 1 << 20));
    assertCodecError(FaultCode.INVALID_REQUEST, "limit of 2",
        () -> shallow.decodeResponse(Fixtures.response(nestedArrays(3))));
    // Deep element nesting that is not value nesting is also bounded, by the grammar.
    String deepValues = "<value>".repeat(10_000) + "</value>".repeat(10_000);
    assertCodecError(FaultCode.INVALID_REQUEST, "<value>", () -> Fixtures.decodeValue(deepValues));
  }

  @Test
  void mutatedBodiesNeverEscapeAsOtherExceptions() {
    byte[] seed = CODEC.encodeCall("m", List.of(1, "é<&>", List.of(2.5, true),
        java.util.Map.of("k", new byte[] {1, 2}), java.time.LocalDateTime.of(2000, 1, 1, 0, 0)));
    java.util.Random random = new java.util.Random(42);
    byte[] alphabet = utf8("<>/&;=\"'!?[]-x0 \n\u00e9");
    for (int round = 0; round < 3000; round++) {
      byte[] body = seed.clone();
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        body[random.nextInt(body.length)] = random.nextBoolean()
            ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
      }
      try {
        CODEC.decodeCall(body);
      } catch (XmlRpcCodecException expected) {
        assertTrue(expected.code() == FaultCode.PARSE_ERROR || expected.code() == FaultCode.INVALID_REQUEST);
      }
    }
  }
}
