"""The Python agent's host adapters against stand-in modules that follow Maya's, Houdini's and Nuke's documented
main-thread APIs, and the plain Python loop: commands run on the main thread (asserted from inside the command),
output comes back, a raising command is fault 1 with its traceback, a command past its time limit is -32002 and
the session answers the next call. Runs under CPython 2.7 and 3; the agent module and standins/ sit beside it.

    python test_host_adapters.py        # exit 0 when every test passed
"""
import os
import sys
import threading
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'standins'))
sys.path.insert(0, HERE)
import standin_mainloop  # noqa: E402  (first import on the main thread: it records the main thread)
import sessionhub_agent as sa  # noqa: E402

try:
    import xmlrpc.client as xmlrpclib
except ImportError:  # Python 2.7
    import xmlrpclib

ON_MAIN_THREAD = ("import threading\n"
                  "_main = getattr(threading, 'main_thread', None)\n"
                  "print(threading.current_thread() is _main() if _main else "
                  "isinstance(threading.current_thread(), threading._MainThread))\n")


class Session(object):
    """An agent for `host` whose main thread is this test's; `calls` runs in a client thread meanwhile."""

    def __init__(self, host, **options):
        options.setdefault('command_timeout', 20.0)
        self.agent = sa.Agent(host, sa.Options(base_port=0, max_port=0, quiet=True, **options)).start()
        self.proxy = xmlrpclib.ServerProxy(self.agent.url(), allow_none=True)

    def drive(self, calls, main_loop):
        """Runs calls(proxy) in a client thread while main_loop(until) serves the main thread; returns its value."""
        done = threading.Event()
        box = {}

        def client():
            try:
                box['value'] = calls(self.proxy)
            except BaseException:
                box['error'] = traceback.format_exc()
            finally:
                done.set()

        worker = threading.Thread(target=client)
        worker.daemon = True
        worker.start()
        try:
            main_loop(done.is_set)
        finally:
            self.proxy('close')()  # its keep-alive socket, else a ResourceWarning lands in a later command's output
            self.agent.stop()
        if 'error' in box:
            raise AssertionError('client failed:\n' + box['error'])
        return box['value']


def wait_until(condition, what, seconds=20.0):
    deadline = sa.time.time() + seconds
    while not condition():
        if sa.time.time() > deadline:
            raise AssertionError('not within %s s: %s' % (seconds, what))
        sa.time.sleep(0.01)


def fault_of(function, *args):
    try:
        function(*args)
    except xmlrpclib.Fault as fault:
        return fault.faultCode, fault.faultString
    raise AssertionError('no fault from %s%r' % (function, args))


def the_contract_calls(scene_edit):
    def calls(proxy):
        seen = {'data': proxy.server_data(), 'main': proxy.command(ON_MAIN_THREAD),
                'printed': proxy.command("print('hello', 6 * 7)"), 'edit': proxy.command(scene_edit)}
        seen['after'] = proxy.server_data()['scene_objects']
        seen['raised'] = fault_of(proxy.command, "def f():\n    raise KeyError('gone')\nf()")
        seen['timeout'] = fault_of(proxy.command, 'while True:\n    pass', 0.5)
        seen['next'] = proxy.command("print('still serving')")
        return seen
    return calls


class HostAdapterTest(unittest.TestCase):

    def check_contract(self, seen, app, exe, version, file_path, objects, added):
        data = seen['data']
        self.assertEqual((app, exe, version, file_path), (data['app'], data['exe'], data['app_version'],
                                                          data['file_path']))
        self.assertEqual(objects, data['scene_objects'])
        self.assertTrue(data['main_thread'])
        self.assertEqual('True\n', seen['main'])
        self.assertEqual('hello 42\n', seen['printed'])
        self.assertEqual(objects + [added], seen['after'])
        code, text = seen['raised']
        self.assertEqual(1, code)
        self.assertTrue(text.startswith("KeyError: 'gone'"), text)
        self.assertIn('line 2, in f', text)
        code, text = seen['timeout']
        self.assertEqual(-32002, code)
        self.assertIn('interrupted', text)
        self.assertEqual('still serving\n', seen['next'])

    def test_maya_runs_commands_through_executeInMainThreadWithResult(self):
        import maya.cmds  # noqa: F401  (the stand-in, as Maya's own would be imported)
        session = Session(sa.detect_host())
        self.assertIsInstance(session.agent.host, sa.MayaHost)
        seen = session.drive(the_contract_calls("import maya.cmds\nmaya.cmds.polyCube(name='hero')"),
                             standin_mainloop.run_loop)
        self.check_contract(seen, 'maya', 'maya', '2024', '/proj/seq/sh010/anim_v003.ma',
                            ['persp', 'top', 'front', 'side'], 'hero')
        del sys.modules['maya.cmds'], sys.modules['maya.utils'], sys.modules['maya']

    def test_houdini_runs_commands_through_hdefereval(self):
        import hou  # noqa: F401
        session = Session(sa.detect_host())
        self.assertIsInstance(session.agent.host, sa.HoudiniHost)
        seen = session.drive(the_contract_calls("import hou\nhou.node('/obj').createNode('geo', 'box1')"),
                             standin_mainloop.run_loop)
        self.check_contract(seen, 'houdini', 'houdini', '20.0.547', '/proj/fx/sh010_fx_v002.hip',
                            ['cam1', 'geo1'], 'box1')
        del sys.modules['hou']

    def test_nuke_runs_commands_through_executeInMainThreadWithResult(self):
        import nuke  # noqa: F401
        session = Session(sa.detect_host())
        self.assertIsInstance(session.agent.host, sa.NukeHost)
        seen = session.drive(the_contract_calls("import nuke\nnuke.createNode('Blur')"), standin_mainloop.run_loop)
        self.check_contract(seen, 'nuke', 'nuke', '15.0v4', '/proj/comp/sh010_comp_v007.nk',
                            ['Read1', 'Write1'], 'Blur1')
        del sys.modules['nuke']

    def test_plain_python_runs_commands_in_its_own_loop(self):
        host = sa.PlainHost(app='tool', exe='tool', app_version='1.0', scene_objects=['a'])
        session = Session(host)
        seen = session.drive(the_contract_calls("session_host.objects.append('b')"),
                             lambda until: session.agent.serve_forever(should_stop=until))
        self.check_contract(seen, 'tool', 'tool', '1.0', '', ['a'], 'b')

    def test_a_host_that_cannot_interrupt_reports_the_timeout_and_serves_on(self):
        host = sa.PlainHost(app='tool')
        host.interrupts = False

        def calls(proxy):
            timeout = fault_of(proxy.command, 'import time\ntime.sleep(1.0)\nprint("late")', 0.2)
            data = proxy.server_data()  # answered while the command still runs
            return timeout, data, proxy.command("print('next')")

        session = Session(host)
        timeout, data, following = session.drive(calls, lambda until: session.agent.serve_forever(should_stop=until))
        self.assertEqual(-32002, timeout[0])
        self.assertIn('cannot interrupt it, so it runs on', timeout[1])
        self.assertEqual(session.agent.session_id, data['session_id'])
        self.assertEqual('next\n', following)

    def test_a_full_queue_is_busy_and_a_queued_command_that_waits_too_long_never_runs(self):
        host = sa.PlainHost(app='tool')
        session = Session(host, queue_length=2)
        results = []

        def calls(proxy):
            other = xmlrpclib.ServerProxy(session.agent.url())
            first = threading.Thread(target=lambda: results.append(
                fault_of(other.command, 'while True:\n    pass', 1.0)))
            first.start()
            wait_until(lambda: session.agent.commands.depth() == 1, 'the loop is pending')
            queued = []
            behind_proxy = xmlrpclib.ServerProxy(session.agent.url())
            behind = threading.Thread(target=lambda: queued.append(fault_of(behind_proxy.command, "ran = True", 0.5)))
            behind.start()
            wait_until(lambda: session.agent.commands.depth() == 2, 'a second command is pending')
            busy = fault_of(proxy.command, "print('no room')")  # two pending: the loop and the one behind it
            behind.join()
            first.join()
            other('close')()
            behind_proxy('close')()
            deadline = sa.time.time() + 10
            while True:  # the interrupted loop leaves the queue when the main thread has handled its interruption
                try:
                    return queued[0], busy, proxy.evaluate("'ran' in globals()")
                except xmlrpclib.Fault as fault:
                    if fault.faultCode != -32001 or sa.time.time() > deadline:
                        raise
                    sa.time.sleep(0.05)

        second, busy, ran = session.drive(calls, lambda until: session.agent.serve_forever(should_stop=until))
        self.assertEqual(-32001, busy[0])
        self.assertIn('session busy', busy[1])
        self.assertEqual(-32002, second[0])
        self.assertIn('never ran', second[1])
        self.assertEqual(-32002, results[0][0])
        self.assertFalse(ran)

    def cancel_calls(self, code, session):
        """Submits `code` as command 'job' from another client, cancels it once it runs, then sets the event the
        code may wait for as `release`; (cancel's answer, the command's outcome, seconds from the cancel to that
        outcome, the next command's answer)."""
        release = threading.Event()
        session.agent.runner.namespace['release'] = release

        def calls(proxy):
            outcome = []
            submitter = xmlrpclib.ServerProxy(session.agent.url())

            def submit():
                try:
                    outcome.append(('result', submitter.command(code, 30, 'job')))
                except xmlrpclib.Fault as fault:
                    outcome.append((fault.faultCode, fault.faultString))
                outcome.append(sa.time.time())

            worker = threading.Thread(target=submit)
            worker.start()
            wait_until(lambda: proxy.output('job', 0, 0)['state'] == 'running', 'the command runs')
            cancelled_at = sa.time.time()
            answer = proxy.cancel('job')
            if answer['result'] == 'interrupted':
                worker.join(20)  # answered before the code returns to Python
            release.set()
            worker.join(20)
            submitter('close')()
            return answer, outcome[0], outcome[1] - cancelled_at, proxy.command("print('next')")
        return calls

    def test_cancel_interrupts_a_running_command_in_a_pumped_host(self):
        import maya.cmds  # noqa: F401
        session = Session(sa.detect_host())
        try:
            answer, outcome, _, following = session.drive(
                self.cancel_calls("print('looping')\nwhile True:\n    pass", session), standin_mainloop.run_loop)
        finally:
            del sys.modules['maya.cmds'], sys.modules['maya.utils'], sys.modules['maya']
        self.assertEqual({'id': 'job', 'result': 'interrupted'}, answer)
        self.assertEqual((-32007, 'command cancelled while it ran; it was interrupted'), outcome)
        self.assertEqual('next\n', following)

    def test_cancel_of_a_command_blocked_in_c_answers_its_caller_at_once(self):
        session = Session(sa.PlainHost(app='tool'))
        answer, outcome, seconds, following = session.drive(
            self.cancel_calls("print('waiting')\nrelease.wait()\nprint('released')", session),
            lambda until: session.agent.serve_forever(should_stop=until))
        self.assertEqual({'id': 'job', 'result': 'interrupted'}, answer)
        self.assertEqual(-32007, outcome[0])
        self.assertLess(seconds, 10.0, 'answered while the code was still blocked')
        self.assertEqual('next\n', following)  # after the wait returned and the interruption stopped it
        self.assertNotIn('released', session.agent.runner.namespace)

    def test_cancel_on_a_host_that_cannot_interrupt_answers_running_and_the_command_ends_as_it_would(self):
        host = sa.PlainHost(app='tool')
        host.interrupts = False
        session = Session(host)
        answer, outcome, _, following = session.drive(
            self.cancel_calls("print('waiting')\nrelease.wait()\nprint('released')", session),
            lambda until: session.agent.serve_forever(should_stop=until))
        self.assertEqual({'id': 'job', 'result': 'running'}, answer)
        self.assertEqual(('result', 'waiting\nreleased\n'), outcome)
        self.assertEqual('next\n', following)


class CommandOutputTest(unittest.TestCase):
    """A command's bounded output and its followers, on the agent module directly (small bounds)."""

    def test_the_head_and_the_tail_are_kept_and_a_reader_in_between_jumps_to_the_tail(self):
        output = sa.CommandOutput(head_cap=4, tail_cap=4)
        output.start()
        for piece in ('ab', 'cdef', 'g', 'hijk', 'l'):
            output.append(piece)
        self.assertEqual('abcd\n[output truncated: 4 characters not kept]\nijkl', output.text())
        first = output.follow(0, 0, limit=3)
        self.assertEqual(('abc', 3, 0, True), (first['text'], first['cursor'], first['skipped'], first['more']))
        second = output.follow(3, 0)
        self.assertEqual(('d', 4, 0, True), (second['text'], second['cursor'], second['skipped'], second['more']))
        jumped = output.follow(4, 0)
        self.assertEqual(('ijkl', 12, 4, False), (jumped['text'], jumped['cursor'], jumped['skipped'],
                                                   jumped['more']))
        self.assertEqual('running', jumped['state'])
        output.append('x' * 10)  # alone longer than the tail
        self.assertEqual('abcd\n[output truncated: 14 characters not kept]\nxxxx', output.text())
        output.end()
        self.assertEqual(('', 'ended'), (output.follow(22, 5)['text'], output.follow(22, 5)['state']))
        try:
            output.follow(23, 0)
            self.fail('a cursor past the end was accepted')
        except sa.RpcFault as fault:
            self.assertEqual(-32602, fault.code)
            self.assertIn('cursor', fault.message)

    def test_output_that_fits_is_returned_whole(self):
        output = sa.CommandOutput(head_cap=4, tail_cap=4)
        for piece in ('ab', 'cdef', 'gh'):
            output.append(piece)
        self.assertEqual('abcdefgh', output.text())
        self.assertEqual(('abcd', 4), (output.follow(0, 0)['text'], output.follow(0, 0)['cursor']))
        self.assertEqual(('efgh', 8, 0), (output.follow(4, 0)['text'], output.follow(4, 0)['cursor'],
                                          output.follow(4, 0)['skipped']))

    def test_an_ended_commands_output_is_freed_after_its_retention(self):
        now = [100.0]
        outputs = sa.CommandOutputs(retention=30.0, clock=lambda: now[0])
        output = sa.CommandOutput(clock=lambda: now[0])
        outputs.add('a', output)
        output.end()
        now[0] = 129.9
        self.assertIs(output, outputs.find('a'))
        now[0] = 130.0
        self.assertIsNone(outputs.find('a'))

    def test_a_waiting_reader_wakes_on_output_on_the_end_and_on_close(self):
        for wake in ('append', 'end', 'close'):
            output = sa.CommandOutput()
            output.start()
            answers = []
            reader = threading.Thread(target=lambda: answers.append(output.follow(0, 20)))
            reader.start()
            wait_until(lambda: output.waiting == 1, 'the reader waits', seconds=5)
            began = sa.time.time()
            if wake == 'append':
                output.append('line\n')
            elif wake == 'end':
                output.end()
            else:
                outputs = sa.CommandOutputs()
                outputs.add('x', output)
                outputs.close()
            reader.join(10)
            self.assertFalse(reader.is_alive(), wake)
            self.assertLess(sa.time.time() - began, 5.0, wake)
            expected = {'append': ('line\n', 'running'), 'end': ('', 'ended'), 'close': ('', 'running')}[wake]
            self.assertEqual(expected, (answers[0]['text'], answers[0]['state']))


class AgentEdgesTest(unittest.TestCase):
    """Options, binding and HTTP framing details of the contract, on the agent module directly."""

    def test_a_non_loopback_bind_needs_a_token(self):
        with self.assertRaises(ValueError) as refused:
            sa.Agent(sa.PlainHost(), sa.Options(bind='0.0.0.0', quiet=True))
        self.assertIn('token', str(refused.exception))
        sa.Options(bind='0.0.0.0', token='t').validate()  # with a token it may

    def test_a_token_file_others_can_read_is_refused(self):
        import tempfile
        handle, path = tempfile.mkstemp()
        os.write(handle, b'secret\n')
        os.close(handle)
        try:
            os.chmod(path, 0o644)
            self.assertRaises(ValueError, sa.read_token, None, path)
            os.chmod(path, 0o600)
            self.assertEqual('secret', sa.read_token(None, path))
        finally:
            os.remove(path)

    def test_agents_bind_the_first_free_port_and_free_it_at_once_on_stop(self):
        probe = sa.bind_first_free('127.0.0.1', 0, 0)
        base = probe.getsockname()[1]
        probe.close()
        first = sa.Agent(sa.PlainHost(), sa.Options(base_port=base, max_port=base + 5, quiet=True)).start()
        second = sa.Agent(sa.PlainHost(), sa.Options(base_port=base, max_port=base + 5, quiet=True)).start()
        try:
            self.assertEqual(base, first.port)
            self.assertNotEqual(first.port, second.port)
            self.assertNotEqual(first.session_id, second.session_id)
        finally:
            second.stop()
            first.stop()
        again = sa.Agent(sa.PlainHost(), sa.Options(base_port=base, max_port=base, quiet=True)).start()
        self.assertEqual(base, again.port)
        again.stop()

    def exchange(self, port, requests, expect_close):
        import socket
        sock = socket.create_connection(('127.0.0.1', port), 10)
        answers = []
        try:
            for request in requests:
                sock.sendall(request)
                head = b''
                while b'\r\n\r\n' not in head:
                    head += sock.recv(1)
                length = int([line.split(b':')[1] for line in head.split(b'\r\n')
                              if line.lower().startswith(b'content-length')][0])
                body = b''
                while len(body) < length:
                    body += sock.recv(length - len(body))
                answers.append((head, body))
            sock.settimeout(1.0)
            try:
                closed = sock.recv(1) == b''
            except socket.timeout:
                closed = False  # still open (the agent's idle limit here is 5 s)
            self.assertEqual(expect_close, closed)
        finally:
            sock.close()
        return answers

    def test_http_1_0_closes_unless_kept_alive_and_http_1_1_keeps_alive_with_chunked_bodies(self):
        agent = sa.Agent(sa.PlainHost(), sa.Options(base_port=0, max_port=0, quiet=True, read_timeout=5)).start()
        call = xmlrpclib.dumps((), 'scene_objects').encode('utf-8')
        one_zero = b'POST /RPC2 HTTP/1.0\r\nContent-Length: %d\r\n\r\n' % len(call) + call
        kept = b'POST /RPC2 HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: %d\r\n\r\n' % len(call) + call
        chunked = (b'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
                   + b'%x\r\n' % 10 + call[:10] + b'\r\n' + b'%x\r\n' % (len(call) - 10) + call[10:] + b'\r\n0\r\n\r\n')
        try:
            answers = self.exchange(agent.port, [one_zero], expect_close=True)
            self.assertIn(b'Connection: close', answers[0][0])
            answers = self.exchange(agent.port, [kept, kept], expect_close=False)
            self.assertEqual(2, len(answers))
            self.assertIn(b'Connection: keep-alive', answers[1][0])
            answers = self.exchange(agent.port, [chunked, chunked], expect_close=False)
            self.assertEqual(2, len(answers))
            self.assertIn(b'<methodResponse><params>', answers[1][1])
        finally:
            agent.stop()

    def test_the_reader_refuses_xml_1_1_and_doctypes_unread(self):
        reader = sa.XmlRpcReader()
        for body, code, text in ((b'<?xml version="1.1"?><methodCall><methodName>x</methodName></methodCall>',
                                  -32700, "XML version '1.1'"),
                                 (b'<?xml version="1.0"?>\n<!-- c --><!DOCTYPE m [<!ENTITY e "x">]><methodCall/>',
                                  -32700, 'DOCTYPE'),
                                 (b'<methodCall><methodName>x</methodName><params><param><value><i8>9223372036854775808'
                                  b'</i8></value></param></params></methodCall>', -32600, 'i8')):
            try:
                reader.decode_call(body)
                self.fail('accepted %r' % body)
            except sa.RpcFault as fault:
                self.assertEqual(code, fault.code)
                self.assertIn(text, fault.message)

    def test_the_hub_link_registers_heartbeats_registers_again_when_forgotten_and_deregisters(self):
        try:
            from xmlrpc.server import SimpleXMLRPCServer
        except ImportError:  # Python 2.7
            from SimpleXMLRPCServer import SimpleXMLRPCServer
        calls = []
        beats = []
        hub = SimpleXMLRPCServer(('127.0.0.1', 0), allow_none=True, logRequests=False)

        def register(announcement):
            calls.append(('register', announcement['session_id'], announcement['url']))
            return {'address': '127.0.0.1:%d' % announcement['port'], 'lease_ms': 5000, 'heartbeat_ms': 100}

        def heartbeat(address, session_id):
            beats.append(address)
            calls.append(('heartbeat', address, session_id))
            return len(beats) != 2  # the hub "forgets" the session once: it must register again

        def deregister(address, session_id):
            calls.append(('deregister', address, session_id))
            return True

        hub.register_function(register, 'hub.register')
        hub.register_function(heartbeat, 'hub.heartbeat')
        hub.register_function(deregister, 'hub.deregister')
        server = threading.Thread(target=hub.serve_forever)
        server.daemon = True
        server.start()
        try:
            agent = sa.Agent(sa.PlainHost(), sa.Options(base_port=0, max_port=0, quiet=True, heartbeat=0.05,
                                                        hub_url='http://127.0.0.1:%d' % hub.server_address[1]))
            agent.start()
            address = '127.0.0.1:%d' % agent.port
            wait_until(lambda: [c[0] for c in calls].count('register') >= 2 and len(beats) >= 3,
                       'register, heartbeats, a register again after a forgotten heartbeat, and more heartbeats')
            agent.stop()
            self.assertEqual(('register', agent.session_id, 'http://127.0.0.1:%d/' % agent.port), calls[0])
            self.assertEqual(('heartbeat', address, agent.session_id), calls[1])
            self.assertEqual(('deregister', address, agent.session_id), calls[-1])
        finally:
            hub.shutdown()
            hub.server_close()

    def test_the_hub_object_is_in_the_namespace_and_reaches_the_hub_lazily(self):
        agent = sa.Agent(sa.PlainHost(), sa.Options(base_port=0, max_port=0, quiet=True,
                                                    hub_url='http://127.0.0.1:9/', token='tok'))
        self.assertEqual('<hub http://127.0.0.1:9>', repr(agent.runner.namespace['hub']))
        self.assertEqual('http://agent:tok@127.0.0.1:9', sa._hub_base('http://127.0.0.1:9/', 'tok'))


def watchdog(seconds):
    """Prints every thread's stack if the run is still going after `seconds` (the Java side gives up at 180 s)."""
    def watch():
        try:
            if finished.wait(seconds):
                return
            lines = ['test_host_adapters.py still running after %d s; threads:\n' % seconds]
            for ident, frame in sys._current_frames().items():
                lines.append('--- thread %s\n%s' % (ident, ''.join(traceback.format_stack(frame))))
            sys.__stderr__.write(''.join(lines))
            sys.__stderr__.flush()
        except BaseException:  # Python 2 tears modules down under a daemon thread at exit: nothing to report then
            pass
    finished = threading.Event()
    thread = threading.Thread(target=watch, name='watchdog')
    thread.daemon = True
    thread.start()
    return finished


if __name__ == '__main__':
    running = watchdog(150)
    result = unittest.main(exit=False, verbosity=2).result
    running.set()
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
