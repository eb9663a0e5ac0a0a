package dev.sessionhub.hub.impl.client;

import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.I8Parser;
import org.apache.xmlrpc.parser.NullParser;
import org.apache.xmlrpc.parser.TypeParser;
import org.apache.xmlrpc.serializer.I8Serializer;
import org.apache.xmlrpc.serializer.NullSerializer;
import org.apache.xmlrpc.serializer.XmlRpcWriter;

/**
 * Lets responses carry {@code <nil/>} (as {@code null}) and {@code <i8>} (as {@code Long}), plain or in the
 * Apache extensions namespace, while extensions stay off.
 *
 * <p>Why: Python servers created with {@code allow_none=True} (the Blender add-on among them) answer
 * {@code None} as {@code <nil/>}, and some servers send 64-bit ints as {@code <i8>}; with extensions off the
 * library refuses both. Turning extensions on would also accept {@code <ex:serializable>} (Java
 * deserialization, CVE-2016-5003) and other Java-only types, so only these two parsers are added, and only for
 * reading: what the hub sends is unchanged.
 */
final class LenientTypeFactory extends TypeFactoryImpl {

  LenientTypeFactory(XmlRpcController controller) {
    super(controller);
  }

  @Override
  public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri,
      String localName) {
    if ("".equals(uri) || XmlRpcWriter.EXTENSIONS_URI.equals(uri)) {
      if (NullSerializer.NIL_TAG.equals(localName)) {
        return new NullParser();
      }
      if (I8Serializer.I8_TAG.equals(localName)) {
        return new I8Parser();
      }
    }
    return super.getParser(config, context, uri, localName);
  }
}
