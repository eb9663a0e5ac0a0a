package dev.sessionhub.hub.impl.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * A serializable Throwable whose deserialization is observable: {@code readObject} flips a static flag. It
 * stands in for a gadget chain in CVE-2019-17570 tests: if the hub ever deserializes a fault's {@code
 * faultCause}, the flag says so.
 */
public final class Canary extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public static volatile boolean deserialized;

  Canary() {
    super("canary");
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    deserialized = true;
    in.defaultReadObject();
  }

  /** A Java-serialized Canary, base64-encoded as it would travel in a {@code <base64>} value. */
  static String serializedBase64() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new Canary());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /** A fault response (code 42, "boom") whose struct also carries a serialized Canary as {@code faultCause}. */
  public static String faultWithCause() {
    return "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>"
        + "<member><name>faultCode</name><value><int>42</int></value></member>"
        + "<member><name>faultString</name><value><string>boom</string></value></member>"
        + "<member><name>faultCause</name><value><base64>" + serializedBase64() + "</base64></value></member>"
        + "</struct></value></fault></methodResponse>";
  }
}
