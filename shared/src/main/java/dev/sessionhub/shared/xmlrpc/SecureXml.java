package dev.sessionhub.shared.xmlrpc;

import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Holds the single, hardened StAX {@link XMLInputFactory} every decode uses.
 *
 * <p>Why one shared factory: building a factory is expensive (service lookup, property tables) and
 * the codec must sustain tens of thousands of calls per second; the JDK factory is safe to share
 * for creating readers once it is configured and never reconfigured.
 *
 * <p>Why these settings: DTD support is off, so a DOCTYPE is reported as a DTD event (which
 * {@link XmlCursor} refuses) and its internal subset never declares anything; external entities,
 * external DTD access and the resolver are all disabled, so nothing is ever fetched; entity
 * references are "replaced", which turns any undeclared entity into a parse error. Namespace
 * awareness is off, like Python's parser, so Apache's {@code ex:i8} works with or without an
 * {@code xmlns:ex} declaration. {@link XMLInputFactory#newDefaultFactory()} pins the JDK's own
 * implementation even if another StAX provider is on the classpath.
 */
final class SecureXml {
  private static final XMLInputFactory FACTORY = create();

  private SecureXml() {}

  /** A reader over already-decoded text. */
  static XMLStreamReader reader(String xml) throws XMLStreamException {
    return FACTORY.createXMLStreamReader(new StringReader(xml));
  }

  private static XMLInputFactory create() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, Boolean.TRUE);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_VALIDATING, Boolean.FALSE);
    factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
    trySet(factory, XMLConstants.ACCESS_EXTERNAL_DTD, "");
    trySet(factory, XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external resources are not allowed: " + systemId);
    });
    return factory;
  }

  private static void trySet(XMLInputFactory factory, String name, Object value) {
    try {
      factory.setProperty(name, value);
    } catch (IllegalArgumentException unsupported) {
      // Not every implementation knows every JAXP property; the other settings still hold.
    }
  }
}
