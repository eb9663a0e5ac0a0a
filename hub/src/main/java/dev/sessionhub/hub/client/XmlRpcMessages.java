package dev.sessionhub.hub.client;

import dev.sessionhub.hub.client.AgentCallException.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.apache.xmlrpc.client.XmlRpcClientRequestImpl;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.xml.sax.ContentHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * The XML-RPC layer of agent calls, the Apache XML-RPC library's, with its unsafe defaults replaced: the request
 * body as its {@link XmlRpcWriter} writes it, and the answer read by its response parser.
 *
 * <ul>
 *   <li>Writing: extensions off (no Java-only types, CVE-2016-5003), UTF-8. A thread's last body is sent
 *       again as it is for an equal call ({@link LastRequestBody}): a broadcast sends one {@code command} to
 *       every target.</li>
 *   <li>Reading: a reader that refuses DOCTYPEs and external entities ({@link SecureXmlReaders}), a parser that
 *       never deserializes a fault's {@code faultCause} and bounds nesting ({@link FaultSafeResponseParser},
 *       CVE-2019-17570), {@code <nil/>} and {@code <i8>} read without extensions ({@link LenientTypeFactory}).
 *       A fault becomes {@link Kind#FAULT} with code and message only; anything unreadable is {@link
 *       Kind#PROTOCOL}.</li>
 * </ul>
 *
 * <p>Knows nothing of HTTP. One instance serves all threads: the library's client object holds only its fixed
 * configuration and type factory, and every call makes its own writer and parser.
 */
final class XmlRpcMessages {

  private final XmlRpcClient library = new XmlRpcClient();
  private final XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();

  XmlRpcMessages() {
    config.setEnabledForExtensions(false);
    config.setEnabledForExceptions(false);
    config.setContentLengthOptional(false);
    config.setGzipCompressing(false);
    config.setGzipRequesting(false);
    config.setEncoding(StandardCharsets.UTF_8.name());
    library.setConfig(config);
    library.setTypeFactory(new LenientTypeFactory(library));
  }

  /** The request body of {@code method(params)}; params already checked by {@link WireValues}. */
  byte[] request(String method, List<Object> params) {
    LastRequestBody last = LastRequestBody.ofThisThread();
    byte[] written = last.reusableFor(method, params);
    if (written != null) {
      return written;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      ContentHandler xml = library.getXmlWriterFactory().getXmlWriter(config, out);
      new XmlRpcWriter(config, xml, library.getTypeFactory())
          .write(new XmlRpcClientRequestImpl(config, method, params));
    } catch (SAXException | XmlRpcException | RuntimeException e) {
      throw new AgentCallException(Kind.PROTOCOL, "cannot write the call " + method + ": " + e.getMessage(), e);
    }
    written = out.toByteArray();
    last.remember(method, params, written);
    return written;
  }

  /** The result of an answer from {@code url}; throws {@link AgentCallException} for a fault or bad XML. */
  Object response(byte[] body, String url) {
    FaultSafeResponseParser parser = new FaultSafeResponseParser(config, library.getTypeFactory());
    try {
      XMLReader reader = SecureXmlReaders.reader();
      reader.setContentHandler(parser);
      reader.parse(new InputSource(new ByteArrayInputStream(body)));
      if (parser.isSuccess()) {
        return parser.getResult();
      }
    } catch (SAXException e) {
      throw new AgentCallException(Kind.PROTOCOL, "malformed response from " + url + ": " + e.getMessage(), e);
    } catch (XmlRpcException | IOException | RuntimeException | StackOverflowError e) {
      throw new AgentCallException(Kind.PROTOCOL, "bad response from " + url + ": " + e, e);
    }
    throw AgentCallException.fault(parser.getErrorCode(), parser.getErrorMessage());
  }
}
