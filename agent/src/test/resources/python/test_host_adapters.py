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
            self.agent.stop()
        if 'error' in box:
            raise AssertionError('client failed:\n' + box['error'])
        return box['value']


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
            first = threading.Thread(target=lambda: results.append(
                fault_of(xmlrpclib.ServerProxy(session.agent.url()).command, 'while True:\n    pass', 1.0)))
            first.start()
            sa.time.sleep(0.3)
            second = fault_of(proxy.command, "ran = True", 0.3)  # queued behind the loop, never runs
            first.join()
            return second, proxy.evaluate("'ran' in globals()")

        second, ran = session.drive(calls, lambda until: session.agent.serve_forever(should_stop=until))
        self.assertEqual(-32002, second[0])
        self.assertIn('never ran', second[1])
        self.assertEqual(-32002, results[0][0])
        self.assertFalse(ran)


if __name__ == '__main__':
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
