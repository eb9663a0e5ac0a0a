package dev.sessionhub.shared.xmlrpc;

import java.util.List;
import java.util.Objects;

/**
 * Encodes and decodes XML-RPC messages as understood by Python's {@code xmlrpc.client} (with
 * {@code allow_none=True}) and Apache XML-RPC.
 *
 * <p>Why this shape: it is the one codec shared by the agent server (decode calls, encode
 * responses and faults) and the hub (its own /RPC2 server, and decoding responses), so it is
 * immutable and thread-safe, shares one hardened parser factory, bounds work by
 * {@link CodecLimits}, reports every decoding problem as a single {@link XmlRpcCodecException},
 * and never throws while encoding.
 */
public final class XmlRpcCodec {
  private static final XmlRpcCodec DEFAULT = new XmlRpcCodec(CodecLimits.defaults());

  private final CodecLimits limits;

  public XmlRpcCodec(CodecLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** A codec with {@link CodecLimits#defaults()}. */
  public static XmlRpcCodec withDefaults() {
    return DEFAULT;
  }

  public CodecLimits limits() {
    return limits;
  }

  /** Decodes a {@code <methodCall>} body. */
  public MethodCall decodeCall(byte[] body) throws XmlRpcCodecException {
    String xml = BodyText.decode(body, limits.maxBytes(), "request");
    try (XmlCursor cursor = XmlCursor.open(xml)) {
      return new MessageReader(cursor, limits.maxDepth()).readCall();
    } catch (RuntimeException e) {
      throw XmlCursor.unexpected(e);
    }
  }

  /** Decodes a {@code <methodResponse>} body into a value or a fault. */
  public XmlRpcResponse decodeResponse(byte[] body) throws XmlRpcCodecException {
    String xml = BodyText.decode(body, limits.maxBytes(), "response");
    try (XmlCursor cursor = XmlCursor.open(xml)) {
      return new MessageReader(cursor, limits.maxDepth()).readResponse();
    } catch (RuntimeException e) {
      throw XmlCursor.unexpected(e);
    }
  }

  /** Encodes a {@code <methodCall>}; a null list means no parameters. */
  public byte[] encodeCall(String methodName, List<?> params) {
    return MessageWriter.call(methodName, params, limits.maxDepth());
  }

  /** Encodes a successful {@code <methodResponse>} carrying {@code value} (null becomes nil). */
  public byte[] encodeResponse(Object value) {
    return MessageWriter.response(value, limits.maxDepth());
  }

  /** Encodes a fault {@code <methodResponse>}. */
  public byte[] encodeFault(XmlRpcFault fault) {
    XmlRpcFault f = fault == null ? XmlRpcFault.of(FaultCode.INTERNAL_ERROR, "") : fault;
    return MessageWriter.fault(f.code(), f.message());
  }

  /** Encodes a fault {@code <methodResponse>} with one of SessionHub's codes. */
  public byte[] encodeFault(FaultCode code, String message) {
    return MessageWriter.fault(
        (code == null ? FaultCode.INTERNAL_ERROR : code).code(), message);
  }
}
