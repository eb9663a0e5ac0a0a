package dev.sessionhub.shared.xmlrpc;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a raw body into text for the parser: size check first, then strict UTF-8 decoding.
 *
 * <p>Why decode ourselves: the JDK parser's own UTF-8 reader prints "[Fatal Error]" lines to
 * stderr on bad bytes and its leniency is an implementation detail; decoding here gives one
 * deterministic rule (any invalid sequence is a PARSE_ERROR) and costs nothing extra, because the
 * parser then skips its own decoding. Bodies are always treated as UTF-8, which is what Python and
 * Apache XML-RPC clients send; an {@code encoding} pseudo-attribute is ignored.
 */
final class BodyText {
  private static final char REPLACEMENT = '\uFFFD';
  private static final char BOM = '\uFEFF';

  private BodyText() {}

  /**
   * @param what "request" or "response", for the size message
   */
  static String decode(byte[] body, int maxBytes, String what) throws XmlRpcCodecException {
    if (body == null || body.length == 0) {
      throw new XmlRpcCodecException(FaultCode.PARSE_ERROR, "empty " + what + " body");
    }
    if (body.length > maxBytes) {
      throw new XmlRpcCodecException(
          FaultCode.INVALID_REQUEST, what + " body exceeds " + maxBytes + " bytes");
    }
    // Fast path: the JDK's lenient decoder is heavily optimised; it only substitutes U+FFFD for
    // bad input, so the strict decoder is needed only when that character shows up.
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.indexOf(REPLACEMENT) >= 0) {
      text = strict(body);
    }
    return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
  }

  private static String strict(byte[] body) throws XmlRpcCodecException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(body.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new XmlRpcCodecException(
          FaultCode.PARSE_ERROR, "invalid UTF-8 byte sequence at offset " + in.position());
    }
    return out.flip().toString();
  }
}
