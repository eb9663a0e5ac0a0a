package dev.sessionhub.hub.impl.client;

import com.ctc.wstx.sax.WstxSAXParser;
import com.ctc.wstx.stax.WstxInputFactory;
import dev.sessionhub.shared.xmlrpc.HardenedStax;
import org.apache.xmlrpc.client.XmlRpcClientException;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DefaultHandler2;

/**
 * Creates the SAX readers that parse agents' responses, hardened against XXE.
 *
 * <p>Why: the Apache library's own reader accepts a DOCTYPE and fetches an external DTD named in a response
 * (CVE-2016-5002 style), so any port the hub scans could make the hub open connections or read local files.
 * Here the parser is Woodstox's, named (never looked up), with DTD support off: a DOCTYPE is never processed,
 * only reported, and the report is a fatal error; external entities are off and every resolver refuses, so
 * nothing is ever fetched; an undeclared entity is a parse error. Namespace awareness is on because the
 * library's parsers match on namespace URIs.
 *
 * <p>Why Woodstox and not the JDK's parser: the JDK's SAX parser re-initialises itself for every document, which
 * was most of the CPU an agent call cost the hub (a {@code command} answer parses in about 1 µs with Woodstox,
 * 3.5 µs with the JDK's reused reader; measured, ops/BENCHMARKS.md 5c). Woodstox makes a fresh stream reader for
 * every document, so nothing (an XML 1.1 declaration, say) carries over from one answer to the next.
 */
final class SecureXmlReaders {

  static final String LEXICAL_HANDLER = "http://xml.org/sax/properties/lexical-handler";

  /** Fails on errors; Woodstox reports nothing to stderr either way. */
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

  /** Woodstox, with DTD support off, reports a DOCTYPE here instead of processing it: the parse stops. */
  private static final DefaultHandler2 REFUSE_DOCTYPE = new DefaultHandler2() {
    @Override
    public void startDTD(String name, String publicId, String systemId) throws SAXException {
      throw new SAXException("DOCTYPE is not allowed in an agent's answer");
    }
  };

  /** One reader per calling thread (the agent-call workers), reused call after call; its settings stay set. */
  private static final ThreadLocal<XMLReader> READERS = new ThreadLocal<>();

  private SecureXmlReaders() {
  }

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
      XMLReader reader = new DtdRefusingParser(HardenedStax.newFactory(true));
      reader.setProperty(LEXICAL_HANDLER, REFUSE_DOCTYPE);
      reader.setEntityResolver((publicId, systemId) -> {
        throw new SAXException("external entity refused: " + systemId);
      });
      reader.setErrorHandler(FAIL_QUIETLY);
      return reader;
    } catch (SAXException | RuntimeException e) {
      throw new XmlRpcClientException("cannot create a hardened XML parser: " + e.getMessage(), e);
    }
  }

  /**
   * Woodstox's SAX parser turns DTD support back on for itself (SAX reports DTD declarations), which would read a
   * DOCTYPE's internal subset before its start is reported; this one keeps it off, so a DOCTYPE is skipped
   * unread, reported to {@link #REFUSE_DOCTYPE} and the parse ends there.
   */
  private static final class DtdRefusingParser extends WstxSAXParser {
    DtdRefusingParser(WstxInputFactory stax) {
      super(stax, false);
      mConfig.doSupportDTDs(false);
      mConfig.doSupportExternalEntities(false);
      mConfig.doValidateWithDTD(false);
      mConfig.doSupportNamespaces(true);
    }
  }
}
