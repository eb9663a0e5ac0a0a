package dev.sessionhub.shared.xmlrpc;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A pull cursor over one StAX reader that exposes only what the XML-RPC grammar needs: elements
 * and text.
 *
 * <p>Why: funnelling every parser access through one place is what makes the safety rules hold
 * everywhere. Comments and processing instructions are skipped, a DOCTYPE or an unresolved entity
 * reference is refused, and every parser failure (checked or not) becomes a
 * {@link FaultCode#PARSE_ERROR} {@link XmlRpcCodecException}.
 */
final class XmlCursor implements AutoCloseable {
  private final XMLStreamReader reader;
  private int event;

  private XmlCursor(XMLStreamReader reader) {
    this.reader = reader;
  }

  /**
   * Opens a cursor over decoded body text. Only XML 1.0 is read: XML 1.1 admits control characters (as
   * {@code &#x1;}) that an XML 1.0 document cannot carry, so what this side decoded could not be written back to
   * the client; Python's expat, for one, reads even a 1.1 document by the 1.0 rules.
   */
  static XmlCursor open(String xml) throws XmlRpcCodecException {
    XmlCursor cursor;
    try {
      cursor = new XmlCursor(SecureXml.reader(xml));
    } catch (XMLStreamException e) {
      throw parseError(e);
    } catch (RuntimeException e) {
      throw unexpected(e);
    }
    String version = cursor.reader.getVersion();
    if (version != null && !version.equals("1.0")) {
      cursor.close();
      throw new XmlRpcCodecException(
          FaultCode.PARSE_ERROR, "XML version " + Scalars.quote(version) + " is not supported, only 1.0");
    }
    return cursor;
  }

  /** Skips the prolog and returns the root element's name. */
  String root() throws XmlRpcCodecException {
    String text = textUntilTag();
    if (!isBlank(text) || event != XMLStreamConstants.START_ELEMENT) {
      throw new XmlRpcCodecException(FaultCode.PARSE_ERROR, "no root element");
    }
    return name();
  }

  /**
   * Collects text up to the next start or end tag, which becomes the current event.
   *
   * @return the text, "" when there was none
   */
  String textUntilTag() throws XmlRpcCodecException {
    String first = null;
    StringBuilder more = null;
    while (advance() == XMLStreamConstants.CHARACTERS) {
      String chunk = reader.getText();
      if (first == null) {
        first = chunk;
      } else {
        if (more == null) {
          more = new StringBuilder(first);
        }
        more.append(chunk);
      }
    }
    if (event == XMLStreamConstants.END_DOCUMENT) {
      throw new XmlRpcCodecException(FaultCode.PARSE_ERROR, "unexpected end of document");
    }
    return more != null ? more.toString() : first != null ? first : "";
  }

  /** Whether the current event (after {@link #textUntilTag()}) is a start tag. */
  boolean atStart() {
    return event == XMLStreamConstants.START_ELEMENT;
  }

  /** The current element's local name; any prefix such as Apache's {@code ex:} is dropped. */
  String name() {
    String name = reader.getLocalName();
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(colon + 1);
  }

  /** The next child element's name of {@code parent}, or null at its end tag. */
  String nextChild(String parent) throws XmlRpcCodecException {
    String text = textUntilTag();
    if (!isBlank(text)) {
      throw new XmlRpcCodecException(
          FaultCode.INVALID_REQUEST, "unexpected text in <" + parent + ">: " + Scalars.quote(text));
    }
    return atStart() ? name() : null;
  }

  /** The text content of the current element {@code element}, consuming its end tag. */
  String text(String element) throws XmlRpcCodecException {
    String text = textUntilTag();
    if (atStart()) {
      throw new XmlRpcCodecException(
          FaultCode.INVALID_REQUEST, "unexpected <" + name() + "> inside <" + element + ">");
    }
    return text;
  }

  /** Skips the current element and everything in it, without interpreting any of it. */
  void skip() throws XmlRpcCodecException {
    int depth = 1;
    while (depth > 0) {
      int e = advance();
      if (e == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (e == XMLStreamConstants.END_ELEMENT) {
        depth--;
      } else if (e == XMLStreamConstants.END_DOCUMENT) {
        throw new XmlRpcCodecException(FaultCode.PARSE_ERROR, "unexpected end of document");
      }
    }
  }

  /** After the root's end tag: reads to the end so trailing garbage is detected. */
  void finish() throws XmlRpcCodecException {
    while (advance() != XMLStreamConstants.END_DOCUMENT) {
      if (event != XMLStreamConstants.CHARACTERS || !isBlank(reader.getText())) {
        throw new XmlRpcCodecException(FaultCode.PARSE_ERROR, "content after the root element");
      }
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (XMLStreamException | RuntimeException ignored) {
      // Nothing is held open: the reader works on an in-memory string.
    }
  }

  private int advance() throws XmlRpcCodecException {
    while (true) {
      int next;
      try {
        next = reader.next();
      } catch (XMLStreamException e) {
        throw parseError(e);
      } catch (RuntimeException e) {
        throw unexpected(e);
      }
      switch (next) {
        case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT,
            XMLStreamConstants.END_DOCUMENT -> {
          return event = next;
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
          return event = XMLStreamConstants.CHARACTERS;
        }
        case XMLStreamConstants.DTD ->
            throw new XmlRpcCodecException(FaultCode.PARSE_ERROR, "DOCTYPE is not allowed");
        case XMLStreamConstants.ENTITY_REFERENCE -> throw new XmlRpcCodecException(
            FaultCode.PARSE_ERROR, "undeclared entity reference &" + reader.getLocalName() + ";");
        default -> {
          // Comments, processing instructions, start of document: not part of the message.
        }
      }
    }
  }

  static boolean isBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  static XmlRpcCodecException parseError(XMLStreamException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int cut = message.indexOf("Message: ");
    if (cut >= 0) {
      message = message.substring(cut + "Message: ".length());
    }
    Location where = e.getLocation();
    String prefix = where == null
        ? "malformed XML: "
        : "malformed XML at line " + where.getLineNumber() + ", column " + where.getColumnNumber() + ": ";
    return new XmlRpcCodecException(FaultCode.PARSE_ERROR, prefix + message.strip(), e);
  }

  static XmlRpcCodecException unexpected(RuntimeException e) {
    return new XmlRpcCodecException(FaultCode.PARSE_ERROR, "malformed XML: " + e, e);
  }
}
