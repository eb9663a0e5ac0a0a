package dev.sessionhub.agent.impl.python;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.python.core.PyObject;
import org.python.core.PyString;
import org.python.core.PyUnicode;

/** Turns Python text (2.7 byte {@code str} holding UTF-8, or {@code unicode}) into Java strings. */
final class PyText {

  private PyText() {
  }

  static String toJava(Object value) {
    if (value instanceof PyUnicode u) {
      return u.getString();
    }
    if (value instanceof PyString s) {
      return decodeBytes(s.getString());
    }
    if (value instanceof PyObject o) {
      return o.__str__().toString();
    }
    return String.valueOf(value);
  }

  /** A Jython byte string keeps one byte per char; read those bytes as UTF-8, else keep them as Latin-1. */
  static String decodeBytes(String byteChars) {
    boolean ascii = true;
    for (int i = 0; i < byteChars.length(); i++) {
      if (byteChars.charAt(i) > 0x7F) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return byteChars;
    }
    byte[] bytes = byteChars.getBytes(StandardCharsets.ISO_8859_1);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return byteChars;
    }
  }
}
