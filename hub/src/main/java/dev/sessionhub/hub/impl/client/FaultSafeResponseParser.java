package dev.sessionhub.hub.impl.client;

import java.util.HashMap;
import java.util.Map;
import org.apache.xmlrpc.common.TypeFactory;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The Apache response parser with the CVE-2019-17570 hole closed and nesting bounded.
 *
 * <p>Why: {@link XmlRpcResponseParser#addResult(Object)} passes a fault's {@code faultCause} member (any plain
 * {@code <base64>} value, whatever the extension settings) to {@code ObjectInputStream.readObject}, so a hostile
 * server could run code in the hub. This parser removes {@code faultCause} from the fault struct before the
 * library sees it, so deserialization is never reached, and checks the fault's types itself instead of letting
 * the library's casts throw. It also refuses element nesting deeper than {@link #MAX_DEPTH}, because the
 * library's parsers recurse once per level and a few megabytes of {@code <array>} would overflow the stack.
 */
final class FaultSafeResponseParser extends XmlRpcResponseParser {

  /** Far deeper than any agent answer, far shallower than what would exhaust a worker's stack. */
  static final int MAX_DEPTH = 256;
  static final String FAULT_CAUSE = "faultCause";

  private int depth;

  FaultSafeResponseParser(XmlRpcStreamRequestConfig config, TypeFactory typeFactory) {
    super(config, typeFactory);
  }

  @Override
  protected void addResult(Object result) throws SAXException {
    if (isSuccess()) {
      super.addResult(result);
      return;
    }
    if (!(result instanceof Map)) {
      throw new SAXParseException("fault is not a struct", getDocumentLocator());
    }
    Map<Object, Object> fault = new HashMap<>((Map<?, ?>) result);
    fault.remove(FAULT_CAUSE);
    if (!(fault.get("faultCode") instanceof Integer)) {
      throw new SAXParseException("fault has no int faultCode", getDocumentLocator());
    }
    Object faultString = fault.get("faultString");
    fault.put("faultString", faultString == null ? "" : String.valueOf(faultString));
    super.addResult(fault);
  }

  @Override
  public void startDocument() throws SAXException {
    depth = 0;
    super.startDocument();
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes attrs) throws SAXException {
    if (++depth > MAX_DEPTH) {
      throw new SAXParseException("response nests deeper than " + MAX_DEPTH + " elements", getDocumentLocator());
    }
    super.startElement(uri, localName, qName, attrs);
  }

  @Override
  public void endElement(String uri, String localName, String qName) throws SAXException {
    depth--;
    super.endElement(uri, localName, qName);
  }
}
