package dev.sessionhub.hub.client;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.apache.xmlrpc.client.XmlRpcClientException;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * Creates the SAX readers that parse agents' responses, hardened against XXE.
 *
 * <p>Why: the Apache library's own reader accepts a DOCTYPE and fetches an external DTD named in a response
 * (CVE-2016-5002 style), so any port the hub scans could make the hub open connections or read local files.
 * Here a DOCTYPE is a fatal error, external entities and DTDs are never loaded, secure processing caps what is
 * left, and XInclude is off. Namespace awareness is on because the library's parsers match on namespace URIs.
 * {@link SAXParserFactory#newDefaultInstance()} pins the JDK's own parser, whose features are known, even if
 * another SAX implementation is on the classpath.
 */
final class SecureXmlReaders {

  static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
  static final String EXTERNAL_GENERAL_ENTITIES = "http://xml.org/sax/features/external-general-entities";
  static final String EXTERNAL_PARAMETER_ENTITIES = "http://xml.org/sax/features/external-parameter-entities";
  static final String LOAD_EXTERNAL_DTD = "http://apache.org/xml/features/nonvalidating/load-external-dtd";

  /** Fails on errors without the JDK parser's default of printing each one to stderr. */
  private static final ErrorHandler FAIL_QUIETLY = new ErrorHandler() {
    @Override
    public void warning(SAXParseException e) {
    }

    @Override
    public void error(SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
      throw e;
    }
  };

  /**
   * One configured factory per calling thread (the agent-call workers): building and configuring a factory
   * per call was a measurable share of each call, and the JDK does not promise a factory is thread-safe.
   */
  private static final ThreadLocal<SAXParserFactory> FACTORIES = new ThreadLocal<>();

  private SecureXmlReaders() {
  }

  private static SAXParserFactory factory() throws ParserConfigurationException, SAXException {
    SAXParserFactory factory = FACTORIES.get();
    if (factory == null) {
      factory = SAXParserFactory.newDefaultInstance();
      factory.setNamespaceAware(true);
      factory.setValidating(false);
      factory.setXIncludeAware(false);
      factory.setFeature(DISALLOW_DOCTYPE, true);
      factory.setFeature(EXTERNAL_GENERAL_ENTITIES, false);
      factory.setFeature(EXTERNAL_PARAMETER_ENTITIES, false);
      factory.setFeature(LOAD_EXTERNAL_DTD, false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      FACTORIES.set(factory);
    }
    return factory;
  }

  /**
   * One reader per calling thread, reused call after call (a reader can parse again once a parse has ended, and
   * its hardening features stay set): creating a parser per call was a third of an agent call's CPU.
   */
  private static final ThreadLocal<XMLReader> READERS = new ThreadLocal<>();

  /** This thread's reader; the caller sets its content handler before each parse. */
  static XMLReader reader() throws XmlRpcClientException {
    XMLReader reader = READERS.get();
    if (reader == null) {
      reader = newReader();
      READERS.set(reader);
    }
    return reader;
  }

  static XMLReader newReader() throws XmlRpcClientException {
    try {
      SAXParser parser = factory().newSAXParser();
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      XMLReader reader = parser.getXMLReader();
      reader.setEntityResolver((publicId, systemId) -> {
        throw new SAXException("external entity refused: " + systemId);
      });
      reader.setErrorHandler(FAIL_QUIETLY);
      return reader;
    } catch (ParserConfigurationException | SAXException e) {
      throw new XmlRpcClientException("cannot create a hardened XML parser: " + e.getMessage(), e);
    }
  }
}
