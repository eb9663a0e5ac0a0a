package dev.sessionhub.shared.xmlrpc;

import com.ctc.wstx.stax.WstxInputFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLInputFactory2;

/**
 * The one hardened Woodstox configuration every XML-RPC parser here starts from: the agent's and hub's codec
 * ({@link SecureXml}) and the hub's SAX reader of agents' answers.
 *
 * <p>DTD support is off, so a DOCTYPE is reported (and refused by the caller) instead of processed, and its
 * internal subset never declares anything; external entities are off and the resolver refuses everything, so
 * nothing is ever fetched; entity references are "replaced", which turns any undeclared entity into a parse
 * error; parsing is eager, so a malformed token fails where it is read. The implementation is named, never looked
 * up through the StAX service files, so these settings are known to hold.
 */
public final class HardenedStax {

  private HardenedStax() {
  }

  /** A new factory with the settings above; {@code namespaceAware} as the caller's grammar needs. */
  public static WstxInputFactory newFactory(boolean namespaceAware) {
    WstxInputFactory factory = new WstxInputFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.TRUE);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, namespaceAware);
    factory.setProperty(XMLInputFactory.IS_VALIDATING, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
    factory.setProperty(XMLInputFactory2.P_LAZY_PARSING, Boolean.FALSE);
    factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external resources are not allowed: " + systemId);
    });
    return factory;
  }
}
