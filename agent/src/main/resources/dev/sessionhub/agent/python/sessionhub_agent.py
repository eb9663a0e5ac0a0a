# -*- coding: utf-8 -*-
"""SessionHub agent for Python applications (Blender, Maya, Houdini, Nuke, plain Python).

One file, standard library only, one source for CPython 2.7 and 3.7+. It speaks the agent wire contract of
SessionHub's Java agent (DESIGN.md), agent version 0.3: an XML-RPC server that binds the first free port from
8000, answers server_data(), scene_objects(), command(code[, seconds[, id]]), cancel(id), output(id, cursor,
wait), evaluate(expr) and system.*, runs commands on the application's main thread through a host adapter, and
(with a hub URL) announces itself to a hub.

cancel(id) answers {id, result}: 'removed' for a queued command (it never runs; its caller gets fault -32007),
'interrupted' for a running one this host can interrupt (its caller gets fault -32007 at once), 'running' for a
running one it cannot (it runs on and its caller gets its real outcome), 'unknown' otherwise. Interruption is the
one used at a command's time limit (AsyncInterrupter: an exception raised in the main thread at its next Python
bytecode). Per host: plain Python, Blender, Maya, Houdini and Nuke all answer 'interrupted' (Maya, Houdini and Nuke
checked against stand-ins only), unless the host sets `interrupts = False` or this Python has no ctypes: then
'running'. A command blocked inside C (a time.sleep, a long bpy operator) is answered at once but stops only when
control comes back to Python; later commands wait for that.

output(id, cursor, wait) follows what a command submitted with an id prints, while it is queued, runs, and for
30 s after it ended: {id, state, text, cursor, skipped, more}, cursors counting code points. Per command the
agent keeps the first and the last 524288 characters of its output, never more; command() then answers head +
'[output truncated: N characters not kept]' + tail.

Standalone, it is a plain Python session whose main thread serves the command queue:

    python3 sessionhub_agent.py --base-port 8000 --name x --tag k=v --hub URL --token-file F --port-file F

Embedded (a plain Python program):

    import sessionhub_agent
    agent = sessionhub_agent.start(sessionhub_agent.PlainHost(), sessionhub_agent.Options(name='tool'))
    while running:
        agent.process_pending(0.05)      # runs queued commands on this (the main) thread
    agent.stop()

In Blender, Maya, Houdini and Nuke, sessionhub_agent.start(sessionhub_agent.detect_host()) picks the adapter.
"""
from __future__ import print_function, division

import __future__
import base64
import binascii
import getpass
import hmac
import json
import os
import re
import socket
import sys
import threading
import time
import traceback
import uuid
from datetime import datetime
from xml.parsers import expat

try:  # Python 3
    import queue as queue_module
    import xmlrpc.client as xmlrpclib
    from urllib.parse import quote as url_quote, urlsplit
    import builtins as builtins_module
    text_type = str
    binary_type = bytes
    integer_types = (int,)
except ImportError:  # Python 2.7
    import Queue as queue_module  # noqa: N813
    import xmlrpclib  # noqa: F401
    from urllib import quote as url_quote  # noqa: F401
    from urlparse import urlsplit  # noqa: F401
    import __builtin__ as builtins_module  # noqa: N813
    text_type = unicode  # noqa: F821
    binary_type = str
    integer_types = (int, long)  # noqa: F821

try:
    import ssl
except ImportError:  # an application built without OpenSSL: TLS is then refused with a clear message
    ssl = None

try:
    import ctypes
except ImportError:
    ctypes = None

try:  # Python 3.4+: one thread serves every plain connection (see Server)
    import selectors
except ImportError:  # Python 2.7: a thread per connection
    selectors = None

PY2 = sys.version_info[0] == 2
AGENT_VERSION = '0.3.0'

DEFAULT_BASE_PORT = 8000
DEFAULT_MAX_PORT = 8099
DEFAULT_BIND = '127.0.0.1'
DEFAULT_MAX_BODY_BYTES = 1 << 20
DEFAULT_MAX_XML_DEPTH = 32
DEFAULT_QUEUE_LENGTH = 64
DEFAULT_COMMAND_TIMEOUT = 30.0
DEFAULT_READ_TIMEOUT = 10.0
DEFAULT_HEARTBEAT = 2.0
OUTPUT_HEAD_CHARS = 1 << 19  # a command's output keeps its first 524288 characters ...
OUTPUT_TAIL_CHARS = 1 << 19  # ... and its last 524288, never more
OUTPUT_ANSWER_CHARS = 1 << 16  # at most this much text in one output() answer
OUTPUT_MAX_WAIT = 30  # seconds an output() call may wait for new output
OUTPUT_RETENTION = 30.0  # seconds an ended command's output stays readable
MAX_COMMAND_ID = 200
MAX_MULTICALL = 256
MAX_REQUEST_LINE = 4096
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADERS = 100
MAX_CONNECTIONS = 1024


def _now():
    return time.time()


def _monotonic():
    return getattr(time, 'monotonic', time.time)()


def _thread_ident():
    return threading.current_thread().ident


# ---------------------------------------------------------------------------------------------------------
# Faults: the interop codes of the wire contract
# ---------------------------------------------------------------------------------------------------------

APPLICATION_ERROR = 1
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SESSION_BUSY = -32001
COMMAND_TIMEOUT = -32002
COMMAND_CANCELLED = -32007


class RpcFault(Exception):
    """A fault to answer: an interop code and a message safe to show to the caller."""

    def __init__(self, code, message):
        Exception.__init__(self, message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------------------------------------
# XML-RPC codec: a strict reader on expat (no DOCTYPE, no entities, bounded depth) and a writer
# ---------------------------------------------------------------------------------------------------------

_INT32 = (-(1 << 31), (1 << 31) - 1)
_INT64 = (-(1 << 63), (1 << 63) - 1)
_INT_TEXT = re.compile(r'^[+-]?[0-9]+$')
_DOUBLE_TEXT = re.compile(r'^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$')
_BASE64_TEXT = re.compile(r'^[A-Za-z0-9+/]*={0,2}$')
_DATETIME_TEXT = re.compile(r'^[0-9]{4}-?[0-9]{2}-?[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?$')
_SURROGATE_BYTES = re.compile(b'\xed[\xa0-\xbf]')
_PROLOG_SKIP = re.compile(r'\s+|<\?.*?\?>|<!--.*?-->', re.S)


class _Element(object):
    __slots__ = ('name', 'children', 'text')

    def __init__(self, name):
        self.name = name
        self.children = []
        self.text = []


def _has_doctype(text):
    """True when a DOCTYPE comes before the root element (checked before the parser sees anything)."""
    position = 0
    while True:
        match = _PROLOG_SKIP.match(text, position)
        if not match or match.end() == position:
            break
        position = match.end()
    return text.startswith('<!DOCTYPE', position) or text.startswith('<!doctype', position)


class XmlRpcReader(object):
    """Decodes a methodCall body into (name, params) or raises RpcFault(-32700 / -32600), as the Java codec."""

    def __init__(self, max_bytes=DEFAULT_MAX_BODY_BYTES, max_depth=DEFAULT_MAX_XML_DEPTH):
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.max_elements_deep = 3 * (max_depth + 2) + 6

    def decode_call(self, body):
        root = self._parse(self._text(body))
        if root.name != 'methodCall':
            raise RpcFault(INVALID_REQUEST, 'expected <methodCall> but found <%s>' % root.name)
        method, params = None, None
        self._no_text(root)
        for child in root.children:
            if child.name == 'methodName' and method is None:
                if child.children:
                    raise _unexpected(child.children[0].name, 'methodName')
                method = ''.join(child.text).strip()
            elif child.name == 'params' and params is None:
                params = self._params(child)
            else:
                raise _unexpected(child.name, 'methodCall')
        if method is None:
            raise RpcFault(INVALID_REQUEST, 'missing <methodName>')
        if not method:
            raise RpcFault(INVALID_REQUEST, 'empty <methodName>')
        return method, params or []

    def _text(self, body):
        if not body:
            raise RpcFault(PARSE_ERROR, 'empty request body')
        if len(body) > self.max_bytes:
            raise RpcFault(INVALID_REQUEST, 'request body exceeds %d bytes' % self.max_bytes)
        surrogate = _SURROGATE_BYTES.search(body)  # Python 2's codec lets encoded surrogates through
        if surrogate:
            raise RpcFault(PARSE_ERROR, 'invalid UTF-8 byte sequence at offset %d' % surrogate.start())
        try:
            text = body.decode('utf-8')
        except UnicodeDecodeError as e:
            raise RpcFault(PARSE_ERROR, 'invalid UTF-8 byte sequence at offset %d' % e.start)
        if text.startswith(u'\ufeff'):
            text = text[1:]
        if _has_doctype(text):
            raise RpcFault(PARSE_ERROR, 'DOCTYPE is not allowed (no DTDs or entities): refused unread')
        return text

    def _parse(self, text):
        parser = expat.ParserCreate('UTF-8')
        stack, roots = [], []
        limit = self.max_elements_deep

        def start(name, attributes):
            if len(stack) >= limit:
                raise RpcFault(INVALID_REQUEST, 'XML nesting exceeds %d elements' % limit)
            element = _Element(name)
            if stack:
                stack[-1].children.append(element)
            else:
                roots.append(element)
            stack.append(element)

        def end(name):
            stack.pop()

        def characters(data):
            if stack:
                stack[-1].text.append(data)

        def refuse(*args):
            raise RpcFault(PARSE_ERROR, 'DOCTYPE, entities and external references are not allowed')

        def declaration(version, encoding, standalone):
            # expat reads a 1.1 document by the 1.0 rules; refused as the Java agent refuses it
            if version is not None and version != '1.0':
                raise RpcFault(PARSE_ERROR, "XML version '%s' is not supported, only 1.0" % version)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = characters
        parser.XmlDeclHandler = declaration
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.UnparsedEntityDeclHandler = refuse
        parser.ExternalEntityRefHandler = refuse
        try:
            parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        except AttributeError:
            pass
        try:
            parser.Parse(text.encode('utf-8'), True)
        except expat.ExpatError as e:
            raise RpcFault(PARSE_ERROR, 'not well-formed XML: %s' % e)
        if not roots:
            raise RpcFault(PARSE_ERROR, 'no root element')
        return roots[0]

    @staticmethod
    def _no_text(element):
        if ''.join(element.text).strip():
            raise RpcFault(INVALID_REQUEST, 'text in <%s>' % element.name)

    def _params(self, element):
        self._no_text(element)
        params = []
        for param in element.children:
            if param.name != 'param':
                raise _unexpected(param.name, 'params')
            self._no_text(param)
            if not param.children or param.children[0].name != 'value':
                raise RpcFault(INVALID_REQUEST, '<param> needs one <value>')
            if len(param.children) > 1:
                raise _unexpected(param.children[1].name, 'param')
            params.append(self._value(param.children[0], 0))
        return params

    def _value(self, element, depth):
        text = ''.join(element.text)
        if not element.children:
            return text
        if text.strip():
            raise RpcFault(INVALID_REQUEST, 'text mixed with <%s> in <value>' % element.children[0].name)
        if len(element.children) > 1:
            raise RpcFault(INVALID_REQUEST, 'more than one type in <value>: <%s>' % element.children[1].name)
        return self._typed(element.children[0], depth)

    def _typed(self, element, depth):
        kind = element.name
        if kind in ('struct', 'array'):
            if depth >= self.max_depth:
                raise RpcFault(INVALID_REQUEST, 'value nesting exceeds the limit of %d struct/array levels'
                               % self.max_depth)
            return self._struct(element, depth + 1) if kind == 'struct' else self._array(element, depth + 1)
        if element.children:
            raise _unexpected(element.children[0].name, kind)
        text = ''.join(element.text)
        scalar = _SCALARS.get(kind)
        if scalar is None:
            raise RpcFault(INVALID_REQUEST, 'unknown value type <%s>' % kind)
        return scalar(text)

    def _struct(self, element, depth):
        self._no_text(element)
        struct = {}
        for member in element.children:
            if member.name != 'member':
                raise _unexpected(member.name, 'struct')
            self._no_text(member)
            name, value, has_value = None, None, False
            for part in member.children:
                if part.name == 'name' and name is None:
                    name = ''.join(part.text)
                elif part.name == 'value' and not has_value:
                    value, has_value = self._value(part, depth), True
                else:
                    raise _unexpected(part.name, 'member')
            if name is None or not has_value:
                raise RpcFault(INVALID_REQUEST, 'struct <member> needs one <name> and one <value>')
            struct[name] = value
        return struct

    def _array(self, element, depth):
        self._no_text(element)
        values = []
        if len(element.children) > 1 or (element.children and element.children[0].name != 'data'):
            raise _unexpected(element.children[-1].name, 'array')
        for data in element.children:
            self._no_text(data)
            for item in data.children:
                if item.name != 'value':
                    raise _unexpected(item.name, 'data')
                values.append(self._value(item, depth))
        return values


def _unexpected(child, parent):
    return RpcFault(INVALID_REQUEST, 'unexpected <%s> in <%s>' % (child, parent))


def _parse_int(text, bounds, kind):
    stripped = text.strip()
    if _INT_TEXT.match(stripped):
        value = int(stripped)
        if bounds[0] <= value <= bounds[1]:
            return value
    raise RpcFault(INVALID_REQUEST, 'bad <%s> value %r' % (kind, stripped[:40]))


def _parse_boolean(text):
    stripped = text.strip()
    if stripped in ('0', '1'):
        return stripped == '1'
    raise RpcFault(INVALID_REQUEST, 'bad <boolean> value %r (0 or 1)' % stripped[:40])


def _parse_double(text):
    stripped = text.strip()
    if _DOUBLE_TEXT.match(stripped):
        return float(stripped)
    raise RpcFault(INVALID_REQUEST, 'bad <double> value %r' % stripped[:40])


def _parse_base64(text):
    compact = re.sub(r'\s+', '', text)
    if len(compact) % 4 or not _BASE64_TEXT.match(compact):
        raise RpcFault(INVALID_REQUEST, 'bad <base64> value')
    try:
        return xmlrpclib.Binary(base64.b64decode(compact.encode('ascii')))
    except (binascii.Error, TypeError, ValueError):
        raise RpcFault(INVALID_REQUEST, 'bad <base64> value')


def _parse_datetime(text):
    stripped = text.strip()
    if not _DATETIME_TEXT.match(stripped):
        raise RpcFault(INVALID_REQUEST, 'bad <dateTime.iso8601> value %r' % stripped[:40])
    return xmlrpclib.DateTime(str(stripped))


def _parse_nil(text):
    if text.strip():
        raise RpcFault(INVALID_REQUEST, '<nil> must be empty')
    return None


_SCALARS = {
    'string': lambda text: text,
    'int': lambda text: _parse_int(text, _INT32, 'int'),
    'i4': lambda text: _parse_int(text, _INT32, 'i4'),
    'i8': lambda text: _parse_int(text, _INT64, 'i8'),
    'boolean': _parse_boolean,
    'double': _parse_double,
    'base64': _parse_base64,
    'dateTime.iso8601': _parse_datetime,
    'nil': _parse_nil,
}

_XML_FORBIDDEN = re.compile(u'[^\u0009\u000a\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]'
                            if sys.maxunicode > 0xffff else u'[^\u0009\u000a\u0020-\ud7ff\ue000-\ufffd]')


_XML_SPECIAL = re.compile(u'[&<>\r]')


def xml_escape(text):
    """Character data any XML 1.0 parser reads back unchanged: CR as &#13;, forbidden characters as U+FFFD."""
    if not _XML_SPECIAL.search(text) and not _XML_FORBIDDEN.search(text):
        return text  # the common case: nothing to change
    text = text.replace(u'&', u'&amp;').replace(u'<', u'&lt;').replace(u'>', u'&gt;')
    text = _XML_FORBIDDEN.sub(lambda m: u'&#13;' if m.group(0) == u'\r' else u'\ufffd', text)
    return text


def as_text(value):
    """Unicode text from text or UTF-8 bytes (bad bytes replaced)."""
    if isinstance(value, text_type):
        return value
    if isinstance(value, binary_type):
        return value.decode('utf-8', 'replace')
    return text_type(value)


class XmlRpcWriter(object):
    """Encodes responses and faults: nil, i8 beyond 32 bits, bytes as base64, anything else as its text."""

    def response(self, value):
        out = [u'<?xml version="1.0" encoding="UTF-8"?><methodResponse><params><param>']
        self._value(value, out, 0)
        out.append(u'</param></params></methodResponse>')
        return u''.join(out).encode('utf-8')

    def fault(self, code, message):
        return (u'<?xml version="1.0" encoding="UTF-8"?><methodResponse><fault><value><struct>'
                u'<member><name>faultCode</name><value><int>%d</int></value></member>'
                u'<member><name>faultString</name><value><string>%s</string></value></member>'
                u'</struct></value></fault></methodResponse>' % (code, xml_escape(as_text(message)))).encode('utf-8')

    def call(self, method, params):
        out = [u'<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>%s</methodName><params>'
               % xml_escape(method)]
        for param in params:
            out.append(u'<param>')
            self._value(param, out, 0)
            out.append(u'</param>')
        out.append(u'</params></methodCall>')
        return u''.join(out).encode('utf-8')

    def _value(self, value, out, depth):
        out.append(u'<value>')
        if value is None:
            out.append(u'<nil/>')
        elif isinstance(value, bool):
            out.append(u'<boolean>%d</boolean>' % value)
        elif isinstance(value, integer_types):
            if _INT32[0] <= value <= _INT32[1]:
                out.append(u'<int>%d</int>' % value)
            elif _INT64[0] <= value <= _INT64[1]:
                out.append(u'<i8>%d</i8>' % value)
            else:
                out.append(u'<string>%d</string>' % value)
        elif isinstance(value, float):
            out.append(u'<double>%s</double>' % repr(value))
        elif isinstance(value, text_type) or (PY2 and isinstance(value, binary_type)):
            out.append(u'<string>%s</string>' % xml_escape(as_text(value)))
        elif isinstance(value, (binary_type, bytearray)):
            out.append(u'<base64>%s</base64>' % base64.b64encode(bytes(value)).decode('ascii'))
        elif isinstance(value, xmlrpclib.Binary):
            out.append(u'<base64>%s</base64>' % base64.b64encode(value.data).decode('ascii'))
        elif isinstance(value, xmlrpclib.DateTime):
            out.append(u'<dateTime.iso8601>%s</dateTime.iso8601>' % value.value)
        elif isinstance(value, (list, tuple)) and depth < DEFAULT_MAX_XML_DEPTH:
            out.append(u'<array><data>')
            for item in value:
                self._value(item, out, depth + 1)
            out.append(u'</data></array>')
        elif isinstance(value, dict) and depth < DEFAULT_MAX_XML_DEPTH:
            out.append(u'<struct>')
            for key, item in value.items():
                out.append(u'<member><name>%s</name>' % xml_escape(as_text(key)))
                self._value(item, out, depth + 1)
                out.append(u'</member>')
            out.append(u'</struct>')
        else:
            out.append(u'<string>%s</string>' % xml_escape(as_text(_safe_repr(value))))
        out.append(u'</value>')


def _safe_repr(value):
    try:
        return repr(value)
    except Exception as e:  # a broken __repr__ must not break the answer
        return '<unrepresentable %s: %s>' % (type(value).__name__, e)


def type_name(value):
    """The XML-RPC type name of a decoded value, for messages (as the Java agent names them)."""
    if value is None:
        return 'nil'
    if isinstance(value, (text_type, binary_type)):
        return 'string'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, integer_types):
        return 'int' if _INT32[0] <= value <= _INT32[1] else 'i8'
    if isinstance(value, float):
        return 'double'
    if isinstance(value, xmlrpclib.Binary):
        return 'base64'
    if isinstance(value, dict):
        return 'struct'
    if isinstance(value, list):
        return 'array'
    return 'dateTime.iso8601'


# ---------------------------------------------------------------------------------------------------------
# Dispatch: methods by name, the system.* introspection methods, multicall
# ---------------------------------------------------------------------------------------------------------

def check_arity(method, params, least, most):
    if not least <= len(params) <= most:
        wanted = str(least) if least == most else '%d to %d' % (least, most)
        raise RpcFault(INVALID_PARAMS, '%s takes %s parameter%s, got %d'
                       % (method, wanted, '' if most == 1 else 's', len(params)))


def string_param(method, params, index, name):
    value = params[index]
    if isinstance(value, text_type) or (PY2 and isinstance(value, binary_type)):
        return value
    raise RpcFault(INVALID_PARAMS, "%s: parameter '%s' must be a string, got %s" % (method, name, type_name(value)))


class RpcMethod(object):
    def __init__(self, name, help_text, signatures, handler):
        self.name = name
        self.help = help_text
        self.signatures = signatures
        self.handler = handler


class RpcDispatcher(object):
    """Maps method names to handlers; answers system.listMethods/methodHelp/methodSignature/multicall."""

    def __init__(self):
        self.methods = {}
        self.register(RpcMethod('system.listMethods', 'Lists the methods this server answers.', [['array']],
                                lambda params: sorted(self.methods)))
        self.register(RpcMethod('system.methodHelp', 'Returns the help text of a method.', [['string', 'string']],
                                lambda params: self._introspect('system.methodHelp', params).help))
        self.register(RpcMethod('system.methodSignature',
                                'Returns the signatures of a method: arrays of XML-RPC type names, return type '
                                'first.', [['array', 'string']],
                                lambda params: self._introspect('system.methodSignature', params).signatures))
        self.register(RpcMethod('system.multicall',
                                'Runs an array of {methodName, params} calls in order; returns [result] or a fault '
                                'struct for each.', [['array', 'array']], self._multicall))

    def register(self, method):
        self.methods[method.name] = method

    def dispatch(self, name, params):
        """The method's value, or raises RpcFault (anything else becomes -32603)."""
        try:
            return self._lookup(name).handler(params)
        except RpcFault:
            raise
        except Exception as e:
            raise RpcFault(INTERNAL_ERROR, 'internal error: %s: %s' % (type(e).__name__, e))

    def _lookup(self, name):
        method = self.methods.get(name)
        if method is None:
            raise RpcFault(METHOD_NOT_FOUND, "method '%s' is not supported" % name)
        return method

    def _introspect(self, method, params):
        check_arity(method, params, 1, 1)
        return self._lookup(string_param(method, params, 0, 'name'))

    def _multicall(self, params):
        check_arity('system.multicall', params, 1, 1)
        calls = params[0]
        if not isinstance(calls, list):
            raise RpcFault(INVALID_PARAMS, "system.multicall: parameter 'calls' must be an array, got %s"
                           % type_name(calls))
        if len(calls) > MAX_MULTICALL:
            raise RpcFault(INVALID_PARAMS, 'system.multicall: at most %d calls, got %d' % (MAX_MULTICALL, len(calls)))
        results = []
        for entry in calls:
            try:
                results.append([self._one(entry)])
            except RpcFault as fault:
                results.append({'faultCode': fault.code, 'faultString': fault.message})
        return results

    def _one(self, entry):
        name = entry.get('methodName') if isinstance(entry, dict) else None
        if not isinstance(name, (text_type, binary_type)):
            raise RpcFault(INVALID_PARAMS, "system.multicall: each call must be a struct with a string 'methodName'")
        if name == 'system.multicall':
            raise RpcFault(INVALID_REQUEST, 'system.multicall cannot be nested')
        params = entry.get('params')
        if params is None:
            params = []
        if not isinstance(params, list):
            raise RpcFault(INVALID_PARAMS, "system.multicall: 'params' of %s must be an array" % name)
        return self.dispatch(name, params)


# ---------------------------------------------------------------------------------------------------------
# Commands: a bounded queue to the main thread, time limits, interruption where the host allows it
# ---------------------------------------------------------------------------------------------------------

class CommandTimeout(BaseException):
    """Raised inside a command that ran past its time limit (a BaseException: `except Exception` lets it by)."""


class AsyncInterrupter(object):
    """Raises CommandTimeout in the thread running a command (CPython's PyThreadState_SetAsyncExc).

    It takes effect at the next Python bytecode: a command looping in Python stops; one blocked inside C (a sleep,
    a long bpy operator, a Maya command) stops only when control comes back to Python.
    """

    def __init__(self):
        self.available = ctypes is not None and hasattr(ctypes, 'pythonapi')

    def _set(self, ident, exception):
        id_type = ctypes.c_long if PY2 else ctypes.c_ulong
        return ctypes.pythonapi.PyThreadState_SetAsyncExc(id_type(ident), exception)

    def fire(self, ident):
        return self.available and self._set(ident, ctypes.py_object(CommandTimeout)) == 1

    def clear(self, ident):
        if self.available:
            self._set(ident, None)


QUEUED, RUNNING, DONE, TIMED_OUT, CANCELLED = 'queued', 'running', 'done', 'timed out', 'cancelled'


class CommandTask(object):
    """One command: its function, its id (or None), its output (or None), its state (changed under its lock) and
    its outcome. `finished` is set once its function returned: from then on nothing interrupts it."""

    def __init__(self, function, command_id=None, output=None):
        self.function = function
        self.command_id = command_id
        self.output = output
        self.lock = threading.Lock()
        self.done = threading.Event()  # set when its caller can be answered: it ended, or was cancelled
        self.state = QUEUED
        self.result = None
        self.fault = None
        self.thread_ident = None
        self.interrupted = False
        self.finished = False
        self.counted = False  # its place in the queue's pending count was given back


def _describe(seconds):
    millis = max(1, int(round(seconds * 1000)))
    return '%d s' % (millis // 1000) if millis % 1000 == 0 else '%d ms' % millis


class CommandQueue(object):
    """Hands commands to the main thread, at most `capacity` at a time, each with a time limit.

    A command past its limit is answered -32002 at once: if still queued it never runs; if running it is
    interrupted where the host allows it (AsyncInterrupter), otherwise it runs on and only its answer is dropped.
    A command beyond the capacity is answered -32001 without being queued. The main thread calls run_pending().

    A command submitted with an id can be cancelled while it is queued or running (cancel(id)): a queued one is
    removed and never runs; a running one is interrupted the same way as at its time limit where the host allows
    it, and otherwise runs on to its real outcome. Its output is registered with `outputs` for output(id).
    """

    def __init__(self, capacity, timeout, interrupter=None, can_interrupt=True, host_name='this host',
                 outputs=None):
        self.capacity = capacity
        self.timeout = timeout
        self.interrupter = interrupter or AsyncInterrupter()
        self.can_interrupt = can_interrupt and self.interrupter.available
        self.host_name = host_name
        self.outputs = outputs
        self.tasks = queue_module.Queue()
        self.arrived = threading.Event()
        self.lock = threading.Lock()
        self.live = {}  # id -> CommandTask, while queued or running
        self.pending = 0
        self.completed = 0
        self.before_answer = None  # runs after each command, before its caller is answered (never raises)
        self.closed = False

    def depth(self):
        return self.pending

    def submit(self, function, limit=None, command_id=None, output=None):
        limit = self.timeout if limit is None else min(limit, self.timeout)
        task = CommandTask(function, command_id, output)
        with self.lock:
            if self.closed:
                raise RpcFault(INTERNAL_ERROR, 'session is shutting down')
            if command_id is not None and command_id in self.live:
                raise RpcFault(INVALID_PARAMS, 'a command with id %s is already queued or running' % command_id)
            if self.pending >= self.capacity:
                raise RpcFault(SESSION_BUSY, 'session busy: %d commands already queued; retry later' % self.capacity)
            self.pending += 1
            if command_id is not None:
                self.live[command_id] = task
                if self.outputs is not None and output is not None:
                    self.outputs.add(command_id, output)
        self.tasks.put(task)
        self.arrived.set()
        task.done.wait(limit)
        with task.lock:
            if task.state == DONE:
                if task.fault is not None:
                    raise task.fault
                return task.result
            if task.state == CANCELLED:
                raise task.fault
            if task.state == QUEUED:
                task.state = TIMED_OUT
                self._removed(task)
                raise RpcFault(COMMAND_TIMEOUT, 'command timed out: waited %s in the queue behind other commands '
                                                'and never ran' % _describe(limit))
            task.state = TIMED_OUT
            if self.can_interrupt and self.interrupter.fire(task.thread_ident):
                task.interrupted = True
                raise RpcFault(COMMAND_TIMEOUT, 'command timed out after %s; it was interrupted' % _describe(limit))
        raise RpcFault(COMMAND_TIMEOUT, 'command timed out after %s; %s cannot interrupt it, so it runs on to its '
                                        'end on the main thread' % (_describe(limit), self.host_name))

    def cancel(self, command_id):
        """'removed' (it was queued: it never runs), 'interrupted' (it was running and is interrupted), 'running'
        (it runs and this host cannot interrupt it: it runs on to its real outcome) or 'unknown'. The caller of a
        removed or interrupted command is answered -32007 at once."""
        with self.lock:
            task = self.live.get(command_id)
        if task is None:
            return 'unknown'
        with task.lock:
            if task.state == QUEUED:
                task.state = CANCELLED
                task.fault = RpcFault(COMMAND_CANCELLED, 'command cancelled before it ran')
                self._removed(task)
                task.done.set()
                return 'removed'
            if task.finished or task.thread_ident is None:
                return 'unknown'  # it ended, or it left the queue unrun (timed out)
            if task.interrupted:
                return 'interrupted'  # already interrupted (a time limit or an earlier cancel): it stops soon
            if not (self.can_interrupt and self.interrupter.fire(task.thread_ident)):
                return 'running'
            task.interrupted = True
            if task.state == RUNNING:
                task.state = CANCELLED
                task.fault = RpcFault(COMMAND_CANCELLED, 'command cancelled while it ran; it was interrupted')
                task.done.set()
            return 'interrupted'

    def _removed(self, task):
        """A queued task that will never run (timed out or cancelled): its id is free, its output has ended.
        Called under task.lock."""
        self._forget(task)
        if task.output is not None:
            task.output.end()

    def _forget(self, task):
        if task.command_id is not None:
            with self.lock:
                if self.live.get(task.command_id) is task:
                    del self.live[task.command_id]

    def has_work(self):
        return not self.tasks.empty()

    def wait_for_work(self, timeout):
        """Blocks until a command is queued (or the timeout passes); for pump threads. True if there is work.
        Only the main thread takes commands off the queue, so their order is kept."""
        if self.tasks.empty():
            self.arrived.wait(timeout)
        self.arrived.clear()
        return not self.tasks.empty()

    def run_pending(self, wait=0.0):
        """Runs the queued commands on the calling (main) thread; waits up to `wait` seconds for the first."""
        ran = 0
        block = wait > 0
        while True:
            try:
                task = self.tasks.get(block, wait) if block else self.tasks.get_nowait()
            except queue_module.Empty:
                break
            block = False
            try:
                self._run(task)
            except CommandTimeout:  # an interruption that landed as its command ended, outside the command
                self._end(task, None, RpcFault(COMMAND_TIMEOUT, 'command interrupted as it ended'))
            ran += 1
        if self.outputs is not None:
            self.outputs.sweep()
        return ran

    def _run(self, task):
        with task.lock:
            if task.state != QUEUED:
                self._finished(task, False)
                return
            task.state = RUNNING
            task.thread_ident = _thread_ident()
            if task.output is not None:
                task.output.start()
        result, fault = None, None
        try:
            try:
                result, fault = task.function(), None
            except RpcFault as f:
                result, fault = None, f
            except CommandTimeout:
                result, fault = None, RpcFault(COMMAND_TIMEOUT, 'command timed out; it was interrupted')
            except Exception as e:
                result, fault = None, RpcFault(INTERNAL_ERROR, 'internal error: %s: %s' % (type(e).__name__, e))
        finally:
            self._end(task, result, fault)

    def _end(self, task, result, fault):
        """Settles a task that ran and answers its caller. Safe to call again (run_pending does, when an
        interruption landed here before the task was settled)."""
        while True:
            try:
                self._settle(task)
                break
            except CommandTimeout:
                continue  # an interruption fired as the command returned: settle again, it cannot fire twice
        self._forget(task)  # before its caller is answered: the id is free when the answer arrives
        if self.before_answer is not None:
            self.before_answer()  # what the command changed is published before its caller hears it ended
        if task.output is not None:
            task.output.end()
        with task.lock:
            if task.state == RUNNING:
                task.state = DONE
                task.result, task.fault = result, fault
            task.done.set()
        self._finished(task, True)

    def _settle(self, task):
        """Marks the task finished, so that nothing interrupts it any more, and drops an interruption not yet
        delivered."""
        with task.lock:
            task.finished = True
            if task.interrupted:
                self.interrupter.clear(task.thread_ident)

    def _finished(self, task, ran):
        with self.lock:
            if task.counted:
                return
            task.counted = True
            self.pending -= 1
            if ran:
                self.completed += 1

    def close(self):
        with self.lock:
            self.closed = True


# ---------------------------------------------------------------------------------------------------------
# Python execution: a persistent namespace, output capture, error text
# ---------------------------------------------------------------------------------------------------------

COMPILE_FLAGS = __future__.division.compiler_flag | __future__.print_function.compiler_flag


class CapturedOutput(object):
    """A sys.stdout/sys.stderr stand-in: the running command's thread writes here, other threads pass through."""

    def __init__(self, original, owner, sink):
        self._original = original
        self._owner = owner
        self._sink = sink
        self.softspace = 0

    def write(self, text):
        if _thread_ident() == self._owner:
            self._sink.append(as_text(text))
        elif self._original is not None:
            self._original.write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if _thread_ident() != self._owner and self._original is not None:
            self._original.flush()

    def isatty(self):
        return False

    def __getattr__(self, name):
        return getattr(self._original, name)


ENDED = 'ended'


def _wait(condition, seconds):
    """Waits on a held condition until it is notified or `seconds` pass. Python 2's timed wait polls (a notify can
    wait up to 50 ms to be seen), so there a timer notifies at the deadline and the wait itself is untimed."""
    if not PY2:
        condition.wait(seconds)
        return
    timer = threading.Timer(seconds, _notify_all, (condition,))
    timer.daemon = True
    timer.start()
    try:
        condition.wait()
    finally:
        timer.cancel()


def _notify_all(condition):
    with condition:
        condition.notify_all()


class CommandOutput(object):
    """What one command printed, bounded: its first `head_cap` characters and its last `tail_cap`, never more,
    whatever it prints. Positions (cursors) count characters from the start of everything it printed.

    The main thread appends (through CapturedOutput); output() readers wait on `condition` for more or for the end.
    State: 'queued', 'running', 'ended'."""

    def __init__(self, head_cap=OUTPUT_HEAD_CHARS, tail_cap=OUTPUT_TAIL_CHARS, clock=_monotonic):
        # `with self.lock` (a C lock: acquired and its release registered in one bytecode), never
        # `with self.condition` (Condition.__enter__ is Python code): the cancel's asynchronous exception
        # can land between two bytecodes of the main thread, and inside __enter__ it left the lock held
        # for good (a deadlock seen under CPython 2.7 when a cancel met a command ending).
        self.lock = threading.Lock()
        self.condition = threading.Condition(self.lock)
        self.head_cap = head_cap
        self.tail_cap = tail_cap
        self.clock = clock
        self.total = 0  # characters printed so far
        self.head_size = 0
        self._head_parts = []
        self._tail = u''  # the kept tail once compacted: at most tail_cap characters
        self._recent = []  # appended since the last compaction
        self._recent_size = 0
        self.state = QUEUED
        self.ended_at = None
        self.closed = False
        self.waiting = 0  # output() calls waiting for more

    def append(self, text):
        if not text:
            return
        with self.lock:
            room = self.head_cap - self.head_size
            if room > 0:
                part = text[:room]
                self._head_parts.append(part)
                self.head_size += len(part)
                rest = text[room:]
            else:
                rest = text
            if len(rest) >= self.tail_cap:  # it alone fills the tail: what came before it is not kept
                self._recent, self._recent_size = [], 0
                self._tail = rest[-self.tail_cap:]
            elif rest:
                self._recent.append(rest)
                self._recent_size += len(rest)
                if self._recent_size >= self.tail_cap or len(self._recent) >= 4096:
                    self._compact()
            self.total += len(text)
            self.condition.notify_all()

    def _compact(self):
        if self._recent:
            tail = self._tail + u''.join(self._recent)
            self._tail = tail[-self.tail_cap:] if len(tail) > self.tail_cap else tail
            self._recent, self._recent_size = [], 0

    def _head(self):
        if len(self._head_parts) > 1:
            self._head_parts = [u''.join(self._head_parts)]
        return self._head_parts[0] if self._head_parts else u''

    def start(self):
        with self.lock:
            if self.state == QUEUED:
                self.state = RUNNING
            self.condition.notify_all()

    def end(self):
        with self.lock:
            if self.state != ENDED:
                self.state = ENDED
                self.ended_at = self.clock()
            self.condition.notify_all()

    def close(self):
        """The agent stops: readers waiting for output answer now."""
        with self.lock:
            self.closed = True
            self.condition.notify_all()

    def text(self):
        """The whole output as command() answers it: head + a note of what was not kept + tail."""
        with self.lock:
            self._compact()
            dropped = self.total - self.head_size - len(self._tail)
            if dropped:
                return self._head() + u'\n[output truncated: %d characters not kept]\n' % dropped + self._tail
            return self._head() + self._tail

    def follow(self, cursor, wait, limit=OUTPUT_ANSWER_CHARS):
        """The output after `cursor`, waiting up to `wait` seconds for some (or for the end) when there is none:
        {'state', 'text', 'cursor', 'skipped', 'more'}."""
        deadline = _monotonic() + wait
        with self.lock:
            if cursor > self.total:
                raise RpcFault(INVALID_PARAMS, "output: parameter 'cursor' is %d, past the %d characters printed "
                                               "so far" % (cursor, self.total))
            while cursor == self.total and self.state != ENDED and not self.closed:
                remaining = deadline - _monotonic()
                if remaining <= 0:
                    break
                self.waiting += 1
                try:
                    _wait(self.condition, remaining)
                finally:
                    self.waiting -= 1
            text, after, skipped = self._read(cursor, limit)
            return {'state': self.state, 'text': text, 'cursor': after, 'skipped': skipped,
                    'more': after < self.total}

    def _read(self, cursor, limit):
        """(text, cursor after it, characters skipped before it); under the condition."""
        if cursor < self.head_size:
            text = self._head()[cursor:cursor + limit]
            return text, cursor + len(text), 0
        self._compact()
        tail_start = self.total - len(self._tail)
        skipped = max(0, tail_start - cursor)
        cursor += skipped
        offset = cursor - tail_start
        text = self._tail[offset:offset + limit]
        return text, cursor + len(text), skipped


class CommandOutputs(object):
    """The output of the commands submitted with an id, by id: while they are queued or running, and for
    `retention` seconds after they ended; then it is freed (swept at most once a second, by the main thread's
    queue runs and by lookups)."""

    def __init__(self, retention=OUTPUT_RETENTION, clock=_monotonic):
        self.retention = retention
        self.clock = clock
        self.lock = threading.Lock()
        self.by_id = {}
        self.swept = None
        self.closed = False

    def add(self, command_id, output):
        with self.lock:
            if self.closed:
                output.close()
            self.by_id[command_id] = output  # an ended command's output under the same id is replaced
        self.sweep()

    def find(self, command_id):
        """The output of the command with this id, or None when there is none or it ended `retention` ago."""
        self.sweep()
        now = self.clock()
        with self.lock:
            output = self.by_id.get(command_id)
            if output is not None and output.ended_at is not None and now - output.ended_at >= self.retention:
                del self.by_id[command_id]
                return None
            return output

    def sweep(self):
        now = self.clock()
        with self.lock:
            if self.swept is not None and now - self.swept < 1.0:
                return
            self.swept = now
            expired = [key for key, output in self.by_id.items()
                       if output.ended_at is not None and now - output.ended_at >= self.retention]
            for key in expired:
                del self.by_id[key]

    def close(self):
        """Wakes every reader waiting for output (the agent stops)."""
        with self.lock:
            self.closed = True
            outputs = list(self.by_id.values())
        for output in outputs:
            output.close()


class PythonRunner(object):
    """Runs code and expressions in one persistent namespace, in Python 3 style (print function, true division)."""

    def __init__(self, extra_globals=None):
        self.namespace = {'__name__': '__sessionhub__', '__builtins__': builtins_module}
        self.namespace.update(extra_globals or {})

    def run(self, code, output=None):
        """What the code printed (its CommandOutput's bounded text); an exception is fault 1 with it."""
        sink = output if output is not None else CommandOutput()
        try:
            with _captured(sink):
                exec(compile(code, '<command>', 'exec', COMPILE_FLAGS, True), self.namespace)
        except CommandTimeout:
            raise
        except BaseException:
            raise RpcFault(APPLICATION_ERROR, _error_text(sys.exc_info(), sink.text()))
        return sink.text()

    def evaluate(self, expression):
        sink = CommandOutput()
        try:
            with _captured(sink):
                value = eval(compile(expression, '<evaluate>', 'eval', COMPILE_FLAGS, True), self.namespace)
        except CommandTimeout:
            raise
        except BaseException:
            raise RpcFault(APPLICATION_ERROR, _error_text(sys.exc_info(), sink.text()))
        return to_wire(value)


class _captured(object):
    """Routes the current thread's sys.stdout and sys.stderr into a sink while a command runs."""

    def __init__(self, sink):
        self.sink = sink

    def __enter__(self):
        owner = _thread_ident()
        self.saved = sys.stdout, sys.stderr
        sys.stdout = CapturedOutput(self.saved[0], owner, self.sink)
        sys.stderr = CapturedOutput(self.saved[1], owner, self.sink)

    def __exit__(self, *exc):
        sys.stdout, sys.stderr = self.saved
        return False


def _error_text(exc_info, printed):
    """'Type: message', the traceback of the user's frames, and what the code printed before the error."""
    etype, value, tb = exc_info
    detail = [as_text(line) for line in traceback.format_exception_only(etype, value)]
    headline = u''.join(detail).strip().splitlines()[-1] if detail else as_text(etype.__name__)
    user_frames = tb.tb_next if tb is not None else None  # the first frame is the runner's own
    if user_frames is not None:
        lines = [u'Traceback (most recent call last):\n']
        lines.extend(as_text(line) for line in traceback.format_tb(user_frames))
        lines.extend(detail)
    else:
        lines = detail
    text = headline + u'\n' + u''.join(lines).rstrip()
    if printed:
        text += u'\n--- output before the error ---\n' + printed
    return text


def to_wire(value, depth=0):
    """A Python value as an XML-RPC value: numbers, text, bool, None, lists, tuples, dicts; anything else its repr."""
    if value is None or isinstance(value, (bool, float, text_type)):
        return value
    if isinstance(value, integer_types):
        return value if _INT64[0] <= value <= _INT64[1] else str(value)
    if isinstance(value, binary_type):
        return as_text(value)
    if depth > DEFAULT_MAX_XML_DEPTH:
        return '<nested too deep>'
    if isinstance(value, (list, tuple)):
        return [to_wire(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return dict((as_text(key), to_wire(item, depth + 1)) for key, item in value.items())
    return as_text(_safe_repr(value))


# ---------------------------------------------------------------------------------------------------------
# Host adapters: who runs the command queue on the main thread, and what the session says about itself
# ---------------------------------------------------------------------------------------------------------

class Host(object):
    """An application the agent lives in. facts() runs on the main thread; start() arranges for
    agent.process_pending() to be called there.

    interrupts: whether a command past its time limit is stopped (CommandTimeout raised in it) or runs on."""

    app = 'python'
    exe = os.path.basename(sys.executable or 'python')
    headless = True
    main_thread = True
    interrupts = True

    def facts(self):
        """{'app_version', 'file_path', 'scene_objects'}: read on the main thread, published to other threads."""
        return {'app_version': '%d.%d.%d' % tuple(sys.version_info[:3]), 'file_path': '', 'scene_objects': []}

    def extra_globals(self):
        return {}

    def start(self, agent):
        pass

    def stop(self):
        pass


class PlainHost(Host):
    """A plain Python program: its main loop calls agent.process_pending(), or agent.serve_forever() blocks."""

    def __init__(self, app='python', exe=None, app_version=None, file_path='', scene_objects=None, headless=True):
        self.app = app
        self.exe = exe or Host.exe
        self.version = app_version or '%d.%d.%d' % tuple(sys.version_info[:3])
        self.file_path = file_path
        self.objects = list(scene_objects or [])
        self.headless = headless

    def facts(self):
        return {'app_version': self.version, 'file_path': self.file_path, 'scene_objects': list(self.objects)}

    def extra_globals(self):
        return {'session_host': self}


class PumpedHost(Host):
    """Hosts whose main thread is reached through a blocking 'run this on the main thread' call (Maya, Houdini,
    Nuke): a pump thread waits for commands and hands agent.process_pending to that call, and refreshes the
    published facts about once a second. The caller thread of a command never blocks on the main thread, so a
    command past its limit is still answered -32002."""

    refresh_every = 1.0

    def run_on_main(self, function):
        raise NotImplementedError

    def start(self, agent):
        self._running = True
        self._thread = threading.Thread(target=self._pump, args=(agent,), name='sessionhub-pump')
        self._thread.daemon = True
        self._thread.start()

    def stop(self):
        self._running = False

    def _pump(self, agent):
        last_refresh = 0.0
        while self._running:
            work = agent.commands.wait_for_work(0.25)
            if not self._running:
                break
            try:
                if work:
                    self.run_on_main(agent.process_pending)
                elif _monotonic() - last_refresh >= self.refresh_every:
                    self.run_on_main(agent.refresh_facts)
                    last_refresh = _monotonic()
            except Exception as e:  # the application refused (e.g. shutting down): try again on the next turn
                sys.__stderr__.write('sessionhub: main-thread call failed: %s\n' % e)
                time.sleep(0.25)


class MayaHost(PumpedHost):
    """Maya: maya.utils.executeInMainThreadWithResult. Not yet verified in a real Maya."""

    app = 'maya'
    exe = 'maya'

    def __init__(self):
        import maya.cmds
        import maya.utils
        self.cmds = maya.cmds
        self.utils = maya.utils
        self.headless = bool(self.cmds.about(batch=True))

    def run_on_main(self, function):
        return self.utils.executeInMainThreadWithResult(function)

    def facts(self):
        return {'app_version': str(self.cmds.about(version=True)),
                'file_path': self.cmds.file(q=True, sceneName=True) or '',
                'scene_objects': [str(name) for name in self.cmds.ls(assemblies=True) or []]}


class HoudiniHost(PumpedHost):
    """Houdini: hdefereval.executeInMainThreadWithResult. Not yet verified in a real Houdini."""

    app = 'houdini'
    exe = 'houdini'

    def __init__(self):
        import hou
        self.hou = hou
        self.headless = not hou.isUIAvailable()

    def run_on_main(self, function):
        import hdefereval
        return hdefereval.executeInMainThreadWithResult(function)

    def facts(self):
        obj = self.hou.node('/obj')
        path = self.hou.hipFile.path()
        return {'app_version': self.hou.applicationVersionString(),
                'file_path': '' if self.hou.hipFile.isNewFile() else path,
                'scene_objects': [node.name() for node in (obj.children() if obj is not None else [])]}


class NukeHost(PumpedHost):
    """Nuke: nuke.executeInMainThreadWithResult. Not yet verified in a real Nuke."""

    app = 'nuke'
    exe = 'nuke'

    def __init__(self):
        import nuke
        self.nuke = nuke
        self.headless = not getattr(nuke, 'GUI', False)

    def run_on_main(self, function):
        return self.nuke.executeInMainThreadWithResult(function)

    def facts(self):
        name = self.nuke.root().name()
        return {'app_version': self.nuke.NUKE_VERSION_STRING,
                'file_path': '' if name in ('Root', '') else name,
                'scene_objects': [node.name() for node in self.nuke.allNodes()]}


class BlenderHost(Host):
    """Blender: with a UI, a bpy.app.timers timer runs the queue every 50 ms; under `blender -b` timers never
    run, so the script calls serve_forever() (or process_pending in its own loop)."""

    app = 'blender'
    poll_seconds = 0.05

    def __init__(self):
        import bpy
        self.bpy = bpy
        self.exe = os.path.splitext(os.path.basename(bpy.app.binary_path or 'blender'))[0] or 'blender'
        self.headless = bool(bpy.app.background)
        self._agent = None

    def facts(self):
        bpy = self.bpy
        scene = getattr(bpy.context, 'scene', None)
        objects = scene.objects if scene is not None else bpy.data.objects
        return {'app_version': bpy.app.version_string, 'file_path': bpy.data.filepath or '',
                'scene_objects': [obj.name for obj in objects]}

    def extra_globals(self):
        return {'bpy': self.bpy}

    def start(self, agent):
        self._agent = agent
        if not self.headless:
            self.bpy.app.timers.register(self._tick, first_interval=0.0, persistent=True)

    def _tick(self):
        agent = self._agent
        if agent is None or agent.stopped:
            return None
        agent.serve_pending(0)  # never raises: Blender drops a timer whose function raises
        return self.poll_seconds

    def stop(self):
        if not self.headless and self.bpy.app.timers.is_registered(self._tick):
            self.bpy.app.timers.unregister(self._tick)
        self._agent = None


def detect_host():
    """The adapter for the application this Python runs in (bpy, maya, hou, nuke), else a PlainHost."""
    modules = sys.modules
    if 'bpy' in modules:
        return BlenderHost()
    if 'maya.cmds' in modules or 'maya.utils' in modules:
        return MayaHost()
    if 'hou' in modules:
        return HoudiniHost()
    if 'nuke' in modules:
        return NukeHost()
    return PlainHost()


# ---------------------------------------------------------------------------------------------------------
# HTTP: request reading within limits and deadlines, keep-alive, responses
# ---------------------------------------------------------------------------------------------------------

class HttpError(Exception):
    """A refusal at the HTTP level: answer `status` (None: just close) and close the connection."""

    def __init__(self, status, message, linger=False):
        Exception.__init__(self, message)
        self.status = status
        self.message = message
        self.linger = linger


class ConnectionClosed(Exception):
    pass


REASONS = {200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed',
           408: 'Request Timeout', 413: 'Payload Too Large', 414: 'URI Too Long', 431: 'Request Header Fields Too '
           'Large', 501: 'Not Implemented', 505: 'HTTP Version Not Supported'}


class SocketReader(object):
    """Buffered reads from a socket, each bounded by an absolute deadline (time.time())."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b''
        self.received_any = False

    def _fill(self, deadline):
        remaining = deadline - _now()
        if remaining <= 0:
            raise socket.timeout('deadline passed')
        self.sock.settimeout(remaining)
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionClosed()
        self.received_any = True
        self.buffer += data

    def line(self, limit, deadline, too_long):
        while True:
            end = self.buffer.find(b'\n')
            if end >= 0:
                if end > limit:
                    raise too_long
                line, self.buffer = self.buffer[:end + 1], self.buffer[end + 1:]
                return line.rstrip(b'\r\n')
            if len(self.buffer) > limit:
                raise too_long
            self._fill(deadline)

    def exactly(self, count, deadline):
        while len(self.buffer) < count:
            self._fill(deadline)
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data


class _Incomplete(Exception):
    """More bytes are needed than a BufferedRequest holds."""


class _BufferOnly(SocketReader):
    """A reader over bytes already received: asking for more raises _Incomplete instead of reading."""

    def __init__(self, data):
        SocketReader.__init__(self, None)
        self.buffer = data

    def _fill(self, deadline):
        raise _Incomplete()


class Request(object):
    def __init__(self, method, target, version, headers):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.path = target.split('?', 1)[0]

    def header(self, name):
        return self.headers.get(name.lower())

    def wants_close(self):
        connection = (self.header('connection') or '').lower()
        if self.version == 'HTTP/1.0':
            return 'keep-alive' not in connection
        return 'close' in connection

    def has_body(self):
        return self.header('transfer-encoding') is not None or (self.header('content-length') or '0').strip() != '0'


_METHOD = re.compile(b'^[A-Z]{1,20}$')
_VERSION = re.compile(b'^HTTP/([0-9])\\.([0-9])$')
_HEADER_NAME = re.compile(b"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def read_request(reader, deadline):
    """The next request's line and headers, or None when the client closed between requests."""
    too_long_line = HttpError(414, 'request line longer than %d bytes' % MAX_REQUEST_LINE)
    while True:
        try:
            line = reader.line(MAX_REQUEST_LINE, deadline, too_long_line)
        except ConnectionClosed:
            if reader.buffer:
                raise HttpError(400, 'incomplete request')
            return None
        if line:
            break
    parts = line.split(b' ')
    if len(parts) != 3 or not _METHOD.match(parts[0]) or not parts[1]:
        raise HttpError(400, 'malformed request line')
    version = _VERSION.match(parts[2])
    if not version:
        raise HttpError(400, 'malformed request line')
    if version.group(1) != b'1':
        raise HttpError(505, 'only HTTP/1.0 and HTTP/1.1 are spoken here')
    headers, total = {}, 0
    too_large = HttpError(431, 'request headers exceed %d bytes' % MAX_HEADER_BYTES)
    while True:
        raw = reader.line(MAX_HEADER_BYTES, deadline, too_large)
        if not raw:
            break
        total += len(raw) + 2
        if total > MAX_HEADER_BYTES or len(headers) >= MAX_HEADERS:
            raise too_large
        name, colon, value = raw.partition(b':')
        if not colon or not _HEADER_NAME.match(name):
            raise HttpError(400, 'malformed header line')
        key = name.decode('latin-1').lower()
        text = value.strip().decode('latin-1')
        headers[key] = headers[key] + ', ' + text if key in headers else text
    target = parts[1].decode('latin-1')
    if target.startswith('http://') or target.startswith('https://'):
        target = '/' + target.split('/', 3)[3] if target.count('/') >= 3 else '/'
    if not target.startswith('/'):
        raise HttpError(400, 'request target must be a path')
    return Request(parts[0].decode('ascii'), target, 'HTTP/1.' + version.group(2).decode('ascii'), headers)


def read_body(reader, request, max_bytes, read_timeout):
    """The request body (Content-Length or chunked) within the size limit and the read time."""
    deadline = _now() + read_timeout
    encoding = request.header('transfer-encoding')
    length = request.header('content-length')
    try:
        if encoding is not None:
            if length is not None:
                raise HttpError(400, 'Content-Length and Transfer-Encoding together')
            if encoding.strip().lower() != 'chunked':
                raise HttpError(501, 'transfer encoding %r not supported' % encoding)
            return _read_chunked(reader, max_bytes, deadline)
        if length is None:
            return b''
        if not re.match(r'^[0-9]{1,19}$', length.strip()):
            raise HttpError(400, "bad Content-Length '%s'" % length)
        if int(length) > max_bytes:
            raise HttpError(413, 'request body exceeds %d bytes' % max_bytes, linger=True)
        return reader.exactly(int(length), deadline)
    except socket.timeout:
        raise HttpError(408, 'request body not received within %d ms' % int(read_timeout * 1000))


def _read_chunked(reader, max_bytes, deadline):
    body = []
    size = 0
    bad = HttpError(400, 'malformed chunk')
    while True:
        line = reader.line(64, deadline, bad)
        chunk_size = line.split(b';', 1)[0].strip()
        if not re.match(b'^[0-9A-Fa-f]{1,8}$', chunk_size):
            raise bad
        count = int(chunk_size, 16)
        if count == 0:
            while reader.line(MAX_HEADER_BYTES, deadline, bad):
                pass  # trailers, ignored
            return b''.join(body)
        size += count
        if size > max_bytes:
            raise HttpError(413, 'request body exceeds %d bytes' % max_bytes, linger=True)
        body.append(reader.exactly(count, deadline))
        if reader.exactly(2, deadline) != b'\r\n':
            raise bad


def http_response(status, content_type, body, close, extra=None):
    head = ['HTTP/1.1 %d %s' % (status, REASONS.get(status, 'Error')), 'Content-Type: ' + content_type,
            'Content-Length: %d' % len(body)]
    head.extend(extra or [])
    if close:
        head.append('Connection: close')
    return ('\r\n'.join(head) + '\r\n\r\n').encode('latin-1') + body


class TokenAuth(object):
    """Authorization: Basic base64(anyuser:TOKEN) or Bearer TOKEN, compared in constant time."""

    def __init__(self, token):
        self.token = token.encode('utf-8') if isinstance(token, text_type) else token

    def required(self):
        return self.token is not None

    def allows(self, header):
        if self.token is None:
            return True
        if header is None:
            return False
        header = header.strip()
        scheme = header[:7].lower()
        if scheme == 'bearer ':
            return self._matches(header[7:].strip().encode('latin-1'))
        if header[:6].lower() == 'basic ':
            try:
                decoded = base64.b64decode(header[6:].strip().encode('latin-1'))
                if base64.b64encode(decoded) != header[6:].strip().encode('latin-1'):
                    return False
            except (binascii.Error, TypeError, ValueError):
                return False
            user, colon, password = decoded.partition(b':')
            return bool(colon) and self._matches(password)
        return False

    def _matches(self, presented):
        return hmac.compare_digest(self.token, presented)


# ---------------------------------------------------------------------------------------------------------
# The server: binds the first free port, a thread per connection, the agent's HTTP edge
# ---------------------------------------------------------------------------------------------------------

def is_loopback(address):
    return address in ('localhost', '::1') or address.startswith('127.')


def bind_first_free(address, base, top):
    """A listening socket on the first port in [base, top] that binds (never probe-then-bind)."""
    infos = socket.getaddrinfo(address, None, 0, socket.SOCK_STREAM)
    family = infos[0][0]
    last_error = None
    for port in range(base, top + 1):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if os.name == 'nt' and hasattr(socket, 'SO_EXCLUSIVEADDRUSE'):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
            elif os.name != 'nt':
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((address, port))
            sock.listen(max(128, min(getattr(socket, 'SOMAXCONN', 128), 4096)))
            return sock
        except socket.error as e:
            last_error = e
            sock.close()
            if port == 0:
                break
    raise IOError('no free port in %d-%d on %s (%s)' % (base, top, address, last_error))


TEXT = 'text/plain; charset=utf-8'
CPU_GATE = threading.Lock()
WAITING_METHODS = frozenset(['command', 'evaluate', 'system.multicall', 'output'])  # wait for the main thread or output
XML = 'text/xml; charset=utf-8'


class AgentHttp(object):
    """The agent's HTTP edge for one connection at a time: auth, limits, /status, /, and XML-RPC calls."""

    OPEN_METHOD = 'server_data'

    def __init__(self, agent):
        self.agent = agent
        self.options = agent.options
        self.auth = TokenAuth(agent.options.token)
        self.reader = XmlRpcReader(agent.options.max_body_bytes, agent.options.max_xml_depth)
        self.writer = XmlRpcWriter()

    def serve_connection(self, sock, reader=None):
        """Serves requests on `sock` until the client or the agent closes it; `reader` may hold bytes received."""
        reader = reader or SocketReader(sock)
        try:
            while not self.agent.stopped:
                deadline = _now() + self.options.read_timeout
                try:
                    request = read_request(reader, deadline)
                except socket.timeout:
                    return  # headers not complete in time (slow-loris, or an idle keep-alive): closed unanswered
                if request is None:
                    return
                response, close, linger = self.handle(request, reader)
                self._send(sock, response)
                if linger:
                    self._linger(sock, reader)
                if close:
                    return
        except HttpError as e:
            self.agent.count('refused')
            if e.status is not None:
                self._send(sock, http_response(e.status, 'text/plain; charset=utf-8',
                                               (e.message + '\n').encode('utf-8'), True))
            if e.linger:
                self._linger(sock, reader)
        except (ConnectionClosed, socket.timeout, socket.error, ssl_errors()):
            pass

    def handle(self, request, reader, defer_waiting=False):
        """(response bytes, close after it, linger before closing). With `defer_waiting`, a call that waits (for the
        main thread or for output) is decoded but not run: its WaitingCall comes back instead of the bytes."""
        status, content_type, body, extra, close, linger = self._answer(request, reader, defer_waiting)
        if not close and request.version == 'HTTP/1.0':
            extra = extra + ['Connection: keep-alive']
        if isinstance(body, WaitingCall):
            body.respond = lambda xml: http_response(status, content_type, xml, close, extra)
            return body, close, linger
        return http_response(status, content_type, body, close, extra), close, linger

    def _answer(self, request, reader, defer_waiting=False):
        agent = self.agent
        agent.count('requests')
        close = request.wants_close()
        rpc_path = request.path in ('/', '/RPC2')
        authenticated = self.auth.allows(request.header('authorization'))
        open_call = self.options.open_discovery and request.method == 'POST' and rpc_path
        if not authenticated and not open_call:
            agent.count('refused')
            return (401, TEXT, b'token required\n', ['WWW-Authenticate: Basic realm="sessionhub"'], True,
                    request.has_body())
        if request.method == 'POST' and rpc_path:
            body = read_body(reader, request, self.options.max_body_bytes, self.options.read_timeout)
            agent.count('calls')
            return (200, XML, self._call(body, authenticated, defer_waiting), [], close, False)
        close = close or request.has_body()
        if request.method == 'GET' and request.path == '/status':
            return (200, 'application/json', json.dumps(agent.status()).encode('utf-8'), [], close, False)
        if request.method == 'GET' and request.path == '/':
            return (200, 'text/html; charset=utf-8', agent.status_page(), [], close, False)
        if rpc_path or request.path == '/status':
            text = 'method %s not allowed on %s\n' % (request.method, request.path)
            return (405, TEXT, text.encode('utf-8'), ['Allow: ' + ('GET, POST' if rpc_path else 'GET')], close,
                    False)
        return (404, TEXT, ('no such path: %s\n' % request.path).encode('utf-8'), [], close, False)

    def _call(self, body, authenticated, defer_waiting=False):
        """The XML-RPC answer to a call: its value, or its fault; a WaitingCall when it waits and is deferred.

        Decoding, encoding and the methods that do not wait (for the main thread or for output) run one thread at a
        time (CPU_GATE): the serving thread and the threads of TLS connections or of calls that wait take turns
        outside the GIL instead of all contending for it, so the application's main thread, which needs the GIL
        between its frames, competes with one of them at most.
        """
        try:
            with CPU_GATE:
                method, params = self.reader.decode_call(body)
                if not authenticated and method != self.OPEN_METHOD:
                    raise HttpError(401, 'token required')
                if method == 'server_data' and not params:
                    return self.agent.encoded_server_data(self.writer)  # the hot path of every scan and poll
                if method not in WAITING_METHODS:
                    return self.writer.response(self.agent.dispatcher.dispatch(method, params))
        except RpcFault as fault:
            self.agent.count('faults')
            return self.writer.fault(fault.code, fault.message)
        call = WaitingCall(self, method, params)
        return call if defer_waiting else call.answer()

    @staticmethod
    def _send(sock, data):
        sock.settimeout(10.0)
        sock.sendall(data)

    @staticmethod
    def _linger(sock, reader):
        """Reads and drops what the client still sends for up to a second, so the refusal is not reset away."""
        deadline = _now() + 1.0
        try:
            while _now() < deadline:
                reader.buffer = b''
                reader._fill(deadline)
        except (ConnectionClosed, socket.timeout, socket.error, ssl_errors()):
            pass


class WaitingCall(object):
    """A decoded call that waits (for the main thread, or for output): run on a thread of its own, never on the
    thread that serves every connection. `respond` (set by AgentHttp.handle) wraps its XML in the HTTP answer."""

    def __init__(self, http, method, params):
        self.http = http
        self.method = method
        self.params = params
        self.respond = None

    def answer(self):
        """The call's XML-RPC answer, after it ran (waiting outside CPU_GATE)."""
        try:
            value = self.http.agent.dispatcher.dispatch(self.method, self.params)
            with CPU_GATE:
                return self.http.writer.response(value)
        except RpcFault as fault:
            self.http.agent.count('faults')
            return self.http.writer.fault(fault.code, fault.message)


def ssl_errors():
    return ssl.SSLError if ssl is not None else socket.error


class Server(object):
    """Accepts connections on a bound socket and serves them.

    Plain connections (Python 3) are served by one thread that waits on all of them (selectors) and answers every
    request that is whole and needs no waiting (server_data, /status, ...) itself: however many clients poll, one
    thread of the agent's competes with the application's main thread for the GIL, and no request costs a thread
    hand-off (eight pollers on eight threads halved the calls answered a second, and the frames of Blender's main
    thread waited behind them). A connection whose request waits (command, evaluate, output, multicall), arrives
    chunked or oversized, is refused, or whose client reads its answers too slowly, goes on on a thread of its own
    from there, with what was received. TLS connections, and every connection on Python 2.7, have a thread each.
    """

    SWEEP_SECONDS = 0.1  # how often the serving thread looks for connections past their deadline

    def __init__(self, sock, http, tls_context=None, read_timeout=DEFAULT_READ_TIMEOUT):
        self.sock = sock
        self.http = http
        self.tls_context = tls_context
        self.read_timeout = read_timeout
        self.connections = set()
        self.lock = threading.Lock()
        self.closed = False
        self.port = sock.getsockname()[1]
        one_thread = selectors is not None and tls_context is None
        self._wake = socket.socketpair() if one_thread else None
        self.thread = threading.Thread(target=self._event_loop if one_thread else self._accept_loop,
                                       name='sessionhub-accept-%d' % self.port)
        self.thread.daemon = True

    def start(self):
        self.thread.start()

    def _accept(self):
        """The next connection, registered, or None (none waiting, or the agent is full or closing)."""
        try:
            conn, _ = self.sock.accept()
        except (socket.error, OSError):
            if not self.closed:
                time.sleep(0.01)
            return None
        with self.lock:
            if self.closed or len(self.connections) >= MAX_CONNECTIONS:
                conn.close()
                return None
            self.connections.add(conn)
        return conn

    def _accept_loop(self):
        while not self.closed:
            conn = self._accept()
            if conn is not None:
                self._on_thread(conn, lambda sock: self.http.serve_connection(sock))

    def _on_thread(self, conn, serve):
        worker = threading.Thread(target=self._serve, args=(conn, serve), name='sessionhub-conn')
        worker.daemon = True
        worker.start()

    def _serve(self, conn, serve):
        sock = conn
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.tls_context is not None:
                conn.settimeout(self.read_timeout)
                sock = self.tls_context.wrap_socket(conn, server_side=True)
                with self.lock:
                    self.connections.discard(conn)
                    self.connections.add(sock)
            serve(sock)
        except Exception:
            pass
        finally:
            self._forget(conn, sock)

    def _forget(self, conn, sock=None):
        with self.lock:
            self.connections.discard(conn)
            self.connections.discard(sock)
        _close_quietly(sock or conn)

    # -- one thread for every plain connection ------------------------------------------------------------

    def _event_loop(self):
        selector = selectors.DefaultSelector()
        selector.register(self.sock, selectors.EVENT_READ, None)
        selector.register(self._wake[0], selectors.EVENT_READ, None)
        try:
            next_sweep = _now() + self.SWEEP_SECONDS
            while not self.closed:
                try:
                    ready = selector.select(self.SWEEP_SECONDS)
                except (socket.error, OSError, ValueError):
                    if self.closed:
                        return
                    time.sleep(0.01)
                    continue
                for key, _ in ready:
                    if key.fileobj is self._wake[0]:
                        return
                    if key.data is None:
                        self._accepted(selector)
                    else:
                        self._serve_ready(selector, key.data, self._readable)
                now = _now()
                if now >= next_sweep:
                    next_sweep = now + self.SWEEP_SECONDS
                    for key in list(selector.get_map().values()):
                        if key.data is not None and key.data.deadline <= now:
                            self._serve_ready(selector, key.data, self._expired)
        finally:
            for key in list(selector.get_map().values()):
                if key.data is not None:
                    self._forget(key.data.conn)
            selector.close()
            for end in self._wake:
                _close_quietly(end)

    def _serve_ready(self, selector, st, step):
        """One step for one connection; whatever goes wrong in it ends that connection, never the serving thread
        (as a connection's thread ends alone)."""
        try:
            step(selector, st)
        except Exception:  # noqa: BLE001 -- see the docstring
            if not st.released:
                self._drop(selector, st)

    def _accepted(self, selector):
        conn = self._accept()
        if conn is None:
            return
        try:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.setblocking(False)
            selector.register(conn, selectors.EVENT_READ, _Pending(self.http, conn, _now() + self.read_timeout))
        except (socket.error, OSError, ValueError):
            self._forget(conn)

    def _release(self, selector, st):
        st.released = True
        try:
            selector.unregister(st.conn)
        except (KeyError, ValueError, OSError):
            pass

    def _drop(self, selector, st):
        self._release(selector, st)
        self._forget(st.conn)

    def _to_thread(self, selector, st, serve):
        """The connection goes on on a thread of its own, blocking, with the bytes it sent so far."""
        self._release(selector, st)
        try:
            st.conn.setblocking(True)
        except (socket.error, OSError):
            self._forget(st.conn)
            return
        self._on_thread(st.conn, serve)

    def _readable(self, selector, st):
        try:
            data = st.conn.recv(65536)
        except (socket.error, OSError) as e:
            if getattr(e, 'errno', None) in (11, 35, 10035):  # EAGAIN / EWOULDBLOCK: nothing after all
                return
            self._drop(selector, st)
            return
        if not data:
            self._drop(selector, st)
            return
        st.received += data
        while self._answer_whole_request(selector, st):
            pass

    def _answer_whole_request(self, selector, st):
        """Answers the first request in `st.received` if it is whole; True if another may follow at once."""
        http = self.http
        reader = _BufferOnly(st.received)
        try:
            request = read_request(reader, st.deadline)
        except _Incomplete:
            if len(st.received) > MAX_REQUEST_LINE + MAX_HEADER_BYTES + 4:
                self._to_thread(selector, st, st.serve_rest)  # the thread answers 414 or 431
            return False
        except HttpError:
            self._to_thread(selector, st, st.serve_rest)  # the thread answers the refusal
            return False
        if request is None:
            return False
        length = (request.header('content-length') or '0').strip()
        if request.header('transfer-encoding') is not None or not re.match(r'^[0-9]{1,19}$', length) \
                or int(length) > http.options.max_body_bytes:
            self._to_thread(selector, st, st.serve_rest)  # chunked, or a 400 / 413 to answer
            return False
        if len(reader.buffer) < int(length):
            if st.body_deadline is None:
                st.body_deadline = _now() + self.read_timeout
                st.deadline = st.body_deadline
            return False
        body_reader = SocketReader(st.conn)
        body_reader.buffer = reader.buffer
        try:
            response, close, linger = http.handle(request, body_reader, defer_waiting=True)
        except HttpError:
            self._to_thread(selector, st, st.serve_rest)
            return False
        st.received = body_reader.buffer
        st.body_deadline = None
        st.deadline = _now() + self.read_timeout
        if isinstance(response, WaitingCall):
            self._to_thread(selector, st, lambda sock: st.finish(sock, body_reader, response.respond(response.answer()),
                                                                 close, False))
            return False
        sent = 0
        try:
            sent = st.conn.send(response)
        except (socket.error, OSError) as e:
            if getattr(e, 'errno', None) not in (11, 35, 10035):
                self._drop(selector, st)
                return False
        if sent < len(response) or linger:
            unsent = response[sent:]
            self._to_thread(selector, st, lambda sock: st.finish(sock, body_reader, unsent, close, linger))
            return False
        if close:
            self._drop(selector, st)
            return False
        return bool(st.received)

    def _expired(self, selector, st):
        """A connection quiet past its read timeout: closed unanswered, or 408 when its body stopped coming."""
        if st.body_deadline is not None:
            try:
                st.conn.send(http_response(408, TEXT, ('request body not received within %d ms\n'
                                                       % int(self.read_timeout * 1000)).encode('utf-8'), True))
            except (socket.error, OSError):
                pass
            self.http.agent.count('refused')
        self._drop(selector, st)

    def close(self):
        with self.lock:
            self.closed = True
            open_connections = list(self.connections)
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except (socket.error, OSError):
            pass
        self.sock.close()
        if self._wake is not None:
            try:
                self._wake[1].send(b'x')
            except (socket.error, OSError):
                pass
        for conn in open_connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except (socket.error, OSError):
                pass
        self.thread.join(2.0)


class _Pending(object):
    """A plain connection the serving thread waits on: what it sent that is not answered yet, and until when."""

    def __init__(self, http, conn, deadline):
        self.http = http
        self.conn = conn
        self.deadline = deadline
        self.body_deadline = None
        self.received = b''
        self.released = False

    def serve_rest(self, sock):
        """On a thread of its own: serves the connection on from the bytes received so far."""
        reader = SocketReader(sock)
        reader.buffer = self.received
        self.http.serve_connection(sock, reader)

    def finish(self, sock, reader, unsent, close, linger):
        """On a thread of its own: sends an answer (or the rest of one the client was slow to take), lingers if
        asked, then serves on unless the connection is to close."""
        try:
            AgentHttp._send(sock, unsent)
        except (socket.timeout, socket.error, ssl_errors()):
            return
        if linger:
            AgentHttp._linger(sock, reader)
        if not (close or linger):
            self.http.serve_connection(sock, reader)
def _close_quietly(sock):
    try:
        sock.close()
    except (socket.error, OSError):
        pass


# ---------------------------------------------------------------------------------------------------------
# The hub: announce, heartbeat, deregister; the `hub` object in the command namespace
# ---------------------------------------------------------------------------------------------------------

def _hub_base(hub_url, token):
    """The hub's URL with the token as the password when the URL carries none (what ServerProxy then sends)."""
    base = hub_url.rstrip('/')
    parts = urlsplit(base)
    if parts.username is None and token is not None:
        base = '%s://agent:%s@%s' % (parts.scheme, url_quote(token, safe=''), base[len(parts.scheme) + 3:])
    return base


def hub_proxy(hub_url, token, hub_ca=None, timeout=None):
    base = _hub_base(hub_url, token)
    kwargs = {'allow_none': True}
    if base.startswith('https') and hub_ca and ssl is not None:
        kwargs['context'] = ssl.create_default_context(cafile=hub_ca)
    if timeout is not None:
        kwargs['transport'] = _TimeoutTransport(timeout, kwargs.pop('context', None), base.startswith('https'))
    return xmlrpclib.ServerProxy(base + '/RPC2', **kwargs)


class _TimeoutTransport(xmlrpclib.SafeTransport):
    """A transport whose connections time out (ServerProxy has no timeout of its own in 2.7)."""

    def __init__(self, timeout, context, tls):
        if context is not None:
            xmlrpclib.SafeTransport.__init__(self, context=context)
        else:
            xmlrpclib.SafeTransport.__init__(self)
        self._timeout = timeout
        self._tls = tls

    def make_connection(self, host):
        if self._tls:
            conn = xmlrpclib.SafeTransport.make_connection(self, host)
        else:
            conn = xmlrpclib.Transport.make_connection(self, host)
        conn.timeout = self._timeout
        return conn


class SessionHubProxy(object):
    """This session's hub: hub.sessions(selector), hub.session(address), hub.command(address, code),
    hub.broadcast(selector, code[, timeout]), hub.job(id)."""

    def __init__(self, hub_url, token, hub_ca):
        self._args = (hub_url, token, hub_ca)
        self._proxy = None
        parts = urlsplit(hub_url)
        self._shown = '<hub %s://%s%s>' % (parts.scheme, parts.hostname, '' if parts.port is None else ':%d' % parts.port)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        if self._proxy is None:
            self._proxy = hub_proxy(*self._args)
        return getattr(self._proxy.hub, name)

    def __repr__(self):
        return self._shown


class HubLink(object):
    """Announces the session (hub.register) once it listens, renews its lease (hub.heartbeat), registers again
    when the hub forgot it, and deregisters on stop. A hub that is down is retried on the next beat."""

    def __init__(self, agent, hub_url, token, hub_ca, interval):
        self.agent = agent
        self.proxy = hub_proxy(hub_url, token, hub_ca, timeout=5.0)
        self.interval = interval
        self.address = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name='sessionhub-hub-link')
        self.thread.daemon = True
        self.lock = threading.Lock()

    def start(self):
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            try:
                with self.lock:
                    if self.stopping.is_set():
                        return
                    if self.address is None or self.proxy.hub.heartbeat(self.address, self.agent.session_id) is False:
                        self._register()
            except Exception as e:
                self.agent.log('hub call failed: %s' % e)
            self.stopping.wait(self.interval)

    def _register(self):
        announcement = dict(self.agent.server_data())
        announcement['url'] = self.agent.announced_url()
        answer = self.proxy.hub.register(announcement)
        if isinstance(answer, dict) and answer.get('address'):
            self.address = answer['address']
            self.agent.log('announced to the hub as %s' % self.address)

    def stop(self):
        self.stopping.set()
        with self.lock:
            if self.address is not None:
                try:
                    self.proxy.hub.deregister(self.address, self.agent.session_id)
                except Exception as e:
                    self.agent.log('hub deregister failed: %s' % e)
                self.address = None


# ---------------------------------------------------------------------------------------------------------
# The agent: the composition root
# ---------------------------------------------------------------------------------------------------------

class Options(object):
    """What an agent is told; every default is the Java agent's."""

    def __init__(self, base_port=DEFAULT_BASE_PORT, max_port=None, bind=DEFAULT_BIND, token=None,
                 name=None, tags=None, hub_url=None, hub_ca=None, tls_cert=None, tls_key=None,
                 max_body_bytes=DEFAULT_MAX_BODY_BYTES, max_xml_depth=DEFAULT_MAX_XML_DEPTH,
                 queue_length=DEFAULT_QUEUE_LENGTH, command_timeout=DEFAULT_COMMAND_TIMEOUT,
                 read_timeout=DEFAULT_READ_TIMEOUT, heartbeat=DEFAULT_HEARTBEAT, open_discovery=False,
                 port_file=None, quiet=False):
        self.base_port = base_port
        if max_port is None:  # the Java agent's range: up to 8099, or just the base when that is above it
            max_port = 0 if base_port == 0 else max(base_port, DEFAULT_MAX_PORT)
        self.max_port = max_port
        self.bind = bind
        self.token = token
        self.name = name
        self.tags = dict(tags or {})
        self.hub_url = hub_url
        self.hub_ca = hub_ca
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.max_body_bytes = max_body_bytes
        self.max_xml_depth = max_xml_depth
        self.queue_length = queue_length
        self.command_timeout = command_timeout
        self.read_timeout = read_timeout
        self.heartbeat = heartbeat
        self.open_discovery = open_discovery
        self.port_file = port_file
        self.quiet = quiet

    def validate(self):
        if not is_loopback(self.bind) and not self.token:
            raise ValueError('binding %s (not loopback) needs a token: pass --token-file or SESSIONHUB_TOKEN'
                             % self.bind)
        if bool(self.tls_cert) != bool(self.tls_key):
            raise ValueError('--tls-cert and --tls-key go together')
        if self.tls_cert and ssl is None:
            raise ValueError('this Python has no ssl module: TLS is not available')
        if self.max_port < self.base_port:
            raise ValueError('--max-port %d is below --base-port %d' % (self.max_port, self.base_port))


def _iso_now():
    now = datetime.utcnow()
    return now.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (now.microsecond // 1000)


class Agent(object):
    """One session's agent: binds, serves, runs commands through the host's main thread, links to a hub."""

    def __init__(self, host, options):
        options.validate()
        self.host = host
        self.options = options
        self.session_id = str(uuid.uuid4())
        self.started_at = _iso_now()
        self.started = _monotonic()
        self.hostname = socket.gethostname()
        try:
            self.user = getpass.getuser()
        except Exception:
            self.user = ''
        self.pid = os.getpid()
        self.stopped = False
        self.stats = {'requests': 0, 'calls': 0, 'faults': 0, 'refused': 0}
        self._stats_lock = threading.Lock()
        self.last_command = ''
        self.tags = dict(options.tags)
        if options.name:
            self.tags['name'] = options.name
        self.published = {'app_version': '', 'file_path': '', 'scene_objects': []}
        self._encoded_server_data = (-1, b'')
        self._facts_version = 0
        self._facts_read_at = 0.0
        self._last_serve_failure = None
        self.outputs = CommandOutputs()
        self.commands = CommandQueue(options.queue_length, options.command_timeout,
                                     can_interrupt=host.interrupts, host_name=host.app, outputs=self.outputs)
        self.commands.before_answer = self._refresh_facts_or_log
        extra = dict(host.extra_globals())
        if options.hub_url:
            extra['hub'] = SessionHubProxy(options.hub_url, options.token, options.hub_ca)
        self.runner = PythonRunner(extra)
        self.dispatcher = RpcDispatcher()
        self._register_methods()
        self.server = None
        self.hub_link = None

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self):
        """Binds the first free port, starts serving and the hub link. Call on the main thread."""
        try:
            self.refresh_facts()
        except Exception as e:
            self.log('could not read the scene yet: %s' % e)
        sock = bind_first_free(self.options.bind, self.options.base_port, self.options.max_port)
        self.server = Server(sock, AgentHttp(self), self._tls_context(), self.options.read_timeout)
        self.server.start()
        self.host.start(self)
        if self.options.port_file:
            _write_atomically(self.options.port_file, '%d\n' % self.port)
        if self.options.hub_url:
            self.hub_link = HubLink(self, self.options.hub_url, self.options.token, self.options.hub_ca,
                                    self.options.heartbeat)
            self.hub_link.start()
        self.log('serving %s (session %s)' % (self.url(), self.session_id))
        return self

    def stop(self):
        """Deregisters from the hub and releases the port at once."""
        if self.stopped:
            return
        self.stopped = True
        self.commands.close()
        self.outputs.close()
        if self.hub_link is not None:
            self.hub_link.stop()
        if self.server is not None:
            self.server.close()
        self.host.stop()
        self.log('stopped')

    def process_pending(self, wait=0.0):
        """Runs queued commands on the calling thread (the main thread); waits up to `wait` s for the first."""
        return self.commands.run_pending(wait)

    def serve_forever(self, poll=0.05, should_stop=None):
        """Serves the command queue on the calling (main) thread until stop() or should_stop() is true."""
        while not self.stopped and not (should_stop and should_stop()):
            self.serve_pending(poll)

    def serve_pending(self, wait=0.0):
        """One turn of a main-thread loop: runs the queued commands (waiting up to `wait` s for the first) and,
        about once a second, re-reads the host's facts, so what a user changed by hand shows in server_data().
        Never raises: an error of its own is logged (once until it changes) and the next turn runs, since a loop
        or timer that raises is one the host drops (Blender unregisters such a timer: no command would run again).
        """
        try:
            if _monotonic() - self._facts_read_at >= 1.0:
                self.refresh_facts()
            self.commands.run_pending(wait)
        except Exception:  # noqa: BLE001 -- see the docstring
            self._log_loop_failure()

    def _refresh_facts_or_log(self):
        """Re-reads the facts after a command, before its caller is answered; an error is logged, not raised."""
        try:
            self.refresh_facts()
        except Exception:  # noqa: BLE001 -- the command's answer must still go out
            self._log_loop_failure()

    def _log_loop_failure(self):
        failure = traceback.format_exc()
        if failure != self._last_serve_failure:
            self.log('the command loop went on after an error:\n' + failure.rstrip())
            self._last_serve_failure = failure

    # -- what the session says about itself -------------------------------------------------------------

    @property
    def port(self):
        return self.server.port if self.server is not None else 0

    def _scheme(self):
        return 'https://' if self.options.tls_cert else 'http://'

    def url(self):
        host = self.options.bind
        if host in ('0.0.0.0', '::'):
            host = '127.0.0.1'
        elif ':' in host and not host.startswith('['):
            host = '[%s]' % host
        return '%s%s:%d/' % (self._scheme(), host, self.port)

    def announced_url(self):
        host = self.options.bind
        if host in ('0.0.0.0', '::'):
            host = self.hostname
        elif ':' in host and not host.startswith('['):
            host = '[%s]' % host
        return '%s%s:%d/' % (self._scheme(), host, self.port)

    def encoded_server_data(self, writer):
        """The server_data() answer as bytes, encoded once per change of the published facts."""
        version, encoded = self._encoded_server_data
        current = self._facts_version
        if version != current:
            encoded = writer.response(self.server_data())  # facts read after the version: never older than it
            self._encoded_server_data = (current, encoded)
        return encoded

    def refresh_facts(self):
        """Reads the host's facts; runs on the main thread (after commands and about once a second)."""
        facts = self.host.facts()
        self.published = {'app_version': as_text(facts.get('app_version', '')),
                          'file_path': as_text(facts.get('file_path', '') or ''),
                          'scene_objects': [as_text(name) for name in facts.get('scene_objects', [])]}
        self._facts_version += 1  # after publishing: a cached answer of an older version is encoded again
        self._facts_read_at = _monotonic()

    def server_data(self):
        published = self.published
        return {
            'hostname': self.hostname, 'app_version': published['app_version'],
            'file_path': published['file_path'], 'exe': self.host.exe,
            'scene_objects': list(published['scene_objects']), 'pid': self.pid, 'port': self.port,
            'session_id': self.session_id, 'app': self.host.app or self.host.exe, 'agent_version': AGENT_VERSION,
            'started_at': self.started_at, 'main_thread': bool(self.host.main_thread),
            'headless': bool(self.host.headless), 'user': self.user, 'tags': dict(self.tags),
        }

    def status(self):
        status = self.server_data()
        status.update({'url': self.url(), 'uptime_s': int(_monotonic() - self.started),
                       'requests': self.stats['requests'], 'calls': self.stats['calls'],
                       'faults': self.stats['faults'], 'refused': self.stats['refused'],
                       'commands': self.commands.completed, 'queue_depth': self.commands.depth()})
        return status

    def status_page(self):
        rows = ''.join(u'<tr><th>%s</th><td>%s</td></tr>' % (_html(key), _html(value))
                       for key, value in self.status().items())
        page = (u'<!doctype html><html><head><meta charset="utf-8"><title>SessionHub agent :%d</title><style>'
                u'body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}'
                u'td,th{padding:4px 12px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}'
                u'th{color:#666;font-weight:500}</style></head><body><h1>Server Panel</h1><p>XML-RPC server '
                u'running. Call <code>server_data()</code> and <code>command(code)</code> at <code>/</code> or '
                u'<code>/RPC2</code>; JSON at <a href="/status">/status</a>.</p><table>%s</table></body></html>'
                % (self.port, rows))
        return page.encode('utf-8')

    def count(self, counter):
        """Adds one to a /status counter (connection threads count concurrently)."""
        with self._stats_lock:
            self.stats[counter] += 1

    def log(self, message):
        if not self.options.quiet:
            sys.__stderr__.write('sessionhub-agent: %s\n' % message)
            sys.__stderr__.flush()

    # -- the methods of the wire contract -----------------------------------------------------------------

    def _register_methods(self):
        register = self.dispatcher.register
        register(RpcMethod('server_data', 'Describes this session: hostname, app_version, file_path, exe, '
                                          'scene_objects, pid and more.', [['struct']], self._server_data))
        register(RpcMethod('scene_objects', "Names of the objects in the open scene, joined by ','.",
                           [['string']], self._scene_objects))
        register(RpcMethod('command', "Runs Python code in the session's persistent namespace on its main thread; "
                                      "returns what it printed. An optional second parameter limits its time in "
                                      "seconds (never beyond the session's own limit); an optional third names "
                                      "the command (1 to 200 characters), so that cancel(id) can stop it and "
                                      "output(id, cursor, wait) can follow what it prints.",
                           [['string', 'string'], ['string', 'string', 'double'],
                            ['string', 'string', 'double', 'string']], self._command))
        register(RpcMethod('cancel', "Cancels the command submitted under this id: a queued one never runs "
                                     "(removed), a running one is interrupted where this host can (interrupted), "
                                     "else it runs on (running); a removed or interrupted command's caller gets "
                                     "fault -32007. Returns {id, result: removed|interrupted|running|unknown}.",
                           [['struct', 'string']], self._cancel))
        register(RpcMethod('output', "Follows what the command submitted under this id prints: output(id, cursor, "
                                     "wait) returns {id, state: queued|running|ended|unknown, text, cursor, "
                                     "skipped, more}: the text after cursor (0 first, then the cursor of the "
                                     "previous answer), waiting up to wait seconds (0 to 30) for some while the "
                                     "command runs. An ended command's output stays readable for 30 s.",
                           [['struct', 'string', 'int', 'double']], self._output))
        register(RpcMethod('evaluate', "Evaluates a Python expression in the session's namespace and returns its "
                                       "value.", [['any', 'string']], self._evaluate))

    def _server_data(self, params):
        check_arity('server_data', params, 0, 0)
        return self.server_data()

    def _scene_objects(self, params):
        check_arity('scene_objects', params, 0, 0)
        return u','.join(self.published['scene_objects'])

    def _command(self, params):
        check_arity('command', params, 1, 3)
        code = string_param('command', params, 0, 'code')
        limit = None
        if len(params) >= 2 and params[1] is not None:
            limit = _seconds(params[1])
        command_id = _command_id('command', params, 2) if len(params) == 3 else None
        output = CommandOutput()
        self.last_command = code[:200]
        return self.commands.submit(lambda: self.runner.run(code, output), limit, command_id, output)

    def _cancel(self, params):
        check_arity('cancel', params, 1, 1)
        command_id = string_param('cancel', params, 0, 'id')
        return {'id': command_id, 'result': self.commands.cancel(command_id)}

    def _output(self, params):
        check_arity('output', params, 3, 3)
        command_id = _command_id('output', params, 0)
        cursor = _cursor(params[1])
        wait = _wait_seconds(params[2])
        output = self.outputs.find(command_id)
        if output is None:
            answer = {'state': 'unknown', 'text': u'', 'cursor': cursor, 'skipped': 0, 'more': False}
        else:
            answer = output.follow(cursor, wait)
        answer['id'] = command_id
        return answer

    def _evaluate(self, params):
        check_arity('evaluate', params, 1, 1)
        expression = string_param('evaluate', params, 0, 'expr')
        return self.commands.submit(lambda: self.runner.evaluate(expression))

    def _tls_context(self):
        if not self.options.tls_cert:
            return None
        protocol = getattr(ssl, 'PROTOCOL_TLS_SERVER', None) or getattr(ssl, 'PROTOCOL_SSLv23')
        context = ssl.SSLContext(protocol)
        context.load_cert_chain(self.options.tls_cert, self.options.tls_key)
        return context


def _command_id(method, params, index):
    command_id = string_param(method, params, index, 'id')
    if not 1 <= len(command_id) <= MAX_COMMAND_ID:
        raise RpcFault(INVALID_PARAMS, "%s: parameter 'id' must be 1 to %d characters, got %d"
                       % (method, MAX_COMMAND_ID, len(command_id)))
    return command_id


def _is_number(value, kinds):
    return isinstance(value, kinds) and not isinstance(value, bool)


def _cursor(value):
    if _is_number(value, integer_types) and value >= 0:
        return value
    shown = value if _is_number(value, integer_types) else type_name(value)
    raise RpcFault(INVALID_PARAMS, "output: parameter 'cursor' must be an int >= 0, got %s" % shown)


def _wait_seconds(value):
    if _is_number(value, integer_types + (float,)) and 0 <= value <= OUTPUT_MAX_WAIT:
        return float(value)
    shown = value if _is_number(value, integer_types + (float,)) else type_name(value)
    raise RpcFault(INVALID_PARAMS, "output: parameter 'wait' must be a number of seconds from 0 to %d, got %s"
                   % (OUTPUT_MAX_WAIT, shown))


def _seconds(value):
    if isinstance(value, (integer_types, float)) and not isinstance(value, bool) and 0 < value <= 86400:
        return max(0.001, float(value))
    raise RpcFault(INVALID_PARAMS, "command: parameter 'timeout' must be a number of seconds between 0 and 86400, "
                                   "got %s" % type_name(value))


def _html(value):
    text = as_text(value if not isinstance(value, (list, dict)) else json.dumps(value))
    return (text.replace(u'&', u'&amp;').replace(u'<', u'&lt;').replace(u'>', u'&gt;')
            .replace(u'"', u'&quot;').replace(u"'", u'&#39;'))


def _write_atomically(path, text):
    temporary = '%s.%d.tmp' % (path, os.getpid())
    with open(temporary, 'w') as out:
        out.write(text)
    if os.name == 'nt' and os.path.exists(path):
        os.remove(path)
    os.rename(temporary, path)


def start(host=None, options=None):
    """Starts an agent for `host` (default: the detected application) and returns it."""
    return Agent(host or detect_host(), options or Options()).start()


# ---------------------------------------------------------------------------------------------------------
# Command line: a plain Python session (flags named as `sessionhub session`)
# ---------------------------------------------------------------------------------------------------------

def read_token(token, token_file):
    """--token, --token-file, SESSIONHUB_TOKEN, SESSIONHUB_TOKEN_FILE, in that order."""
    if token:
        return token
    token_file = token_file or os.environ.get('SESSIONHUB_TOKEN_FILE')
    if not token_file and os.environ.get('SESSIONHUB_TOKEN'):
        return os.environ['SESSIONHUB_TOKEN']
    if token_file:
        if os.name != 'nt' and os.stat(token_file).st_mode & 0o077:
            raise ValueError('token file %s must be readable by its owner only (chmod 600)' % token_file)
        with open(token_file) as f:
            value = f.read().strip()
        if not value:
            raise ValueError('token file %s is empty' % token_file)
        return value
    return None


def parse_args(argv):
    import argparse
    parser = argparse.ArgumentParser(prog='sessionhub_agent.py',
                                     description='A plain Python session with a SessionHub agent.')
    parser.add_argument('--base-port', type=int, default=DEFAULT_BASE_PORT)
    parser.add_argument('--max-port', type=int, default=None)
    parser.add_argument('--bind', default=DEFAULT_BIND)
    parser.add_argument('--token', default=None)
    parser.add_argument('--token-file', default=None)
    parser.add_argument('--hub', default=os.environ.get('SESSIONHUB_HUB'))
    parser.add_argument('--hub-ca', default=None)
    parser.add_argument('--name', default=None)
    parser.add_argument('--tag', action='append', default=[], metavar='K=V')
    parser.add_argument('--port-file', default=None)
    parser.add_argument('--tls-cert', default=None)
    parser.add_argument('--tls-key', default=None)
    parser.add_argument('--open-discovery', action='store_true')
    parser.add_argument('--max-body-bytes', type=int, default=DEFAULT_MAX_BODY_BYTES)
    parser.add_argument('--max-xml-depth', type=int, default=DEFAULT_MAX_XML_DEPTH)
    parser.add_argument('--queue-length', type=int, default=DEFAULT_QUEUE_LENGTH)
    parser.add_argument('--command-timeout', type=float, default=DEFAULT_COMMAND_TIMEOUT, metavar='SECONDS')
    parser.add_argument('--read-timeout', type=float, default=DEFAULT_READ_TIMEOUT, metavar='SECONDS')
    parser.add_argument('--heartbeat', type=float, default=DEFAULT_HEARTBEAT, metavar='SECONDS')
    parser.add_argument('--quiet', action='store_true')
    return parser.parse_args(argv)


def options_from_args(args):
    tags = {}
    for tag in args.tag:
        key, equals, value = tag.partition('=')
        if not equals or not key:
            raise ValueError('--tag wants k=v, got %r' % tag)
        tags[key] = value
    max_port = args.max_port
    if max_port is None:
        max_port = 0 if args.base_port == 0 else max(args.base_port, DEFAULT_MAX_PORT)
    return Options(base_port=args.base_port, max_port=max_port, bind=args.bind,
                   token=read_token(args.token, args.token_file), name=args.name, tags=tags, hub_url=args.hub,
                   hub_ca=args.hub_ca, tls_cert=args.tls_cert, tls_key=args.tls_key,
                   max_body_bytes=args.max_body_bytes, max_xml_depth=args.max_xml_depth,
                   queue_length=args.queue_length, command_timeout=args.command_timeout,
                   read_timeout=args.read_timeout, heartbeat=args.heartbeat, open_discovery=args.open_discovery,
                   port_file=args.port_file, quiet=args.quiet)


def main(argv=None, host=None):
    """Runs a session until SIGTERM/SIGINT: the main thread serves the command queue."""
    import signal
    try:
        options = options_from_args(parse_args(sys.argv[1:] if argv is None else argv))
        agent = Agent(host or PlainHost(), options)
        agent.start()
    except (ValueError, IOError, OSError) as e:
        sys.stderr.write('sessionhub_agent: %s\n' % e)
        return 2
    stop_requested = threading.Event()

    def request_stop(signum, frame):
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        agent.serve_forever(should_stop=stop_requested.is_set)
    finally:
        agent.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
