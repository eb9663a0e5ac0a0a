/**
 * A pure, dependency-free XML-RPC codec for SessionHub.
 *
 * <p>Why it exists: every application session runs an XML-RPC agent that stock Python
 * {@code xmlrpc.client} clients call, and the hub serves and consumes the same protocol. Both need
 * one fast, hardened implementation of the wire format instead of a third-party stack.
 *
 * <p>Entry point: {@link dev.sessionhub.shared.xmlrpc.XmlRpcCodec}. Decoding problems surface only
 * as {@link dev.sessionhub.shared.xmlrpc.XmlRpcCodecException}; encoding never throws.
 */
package dev.sessionhub.shared.xmlrpc;
