"""The main thread of a stand-in application (Maya, Houdini, Nuke are not installable here): a queue of callables
its event loop runs, as those applications run deferred work on their main (UI) thread."""
import threading

try:
    import queue
except ImportError:  # Python 2.7
    import Queue as queue

_calls = queue.Queue()
MAIN = threading.current_thread()


def is_main():
    return threading.current_thread() is MAIN


def call_on_main(function, *args, **kwargs):
    """What executeInMainThreadWithResult does: on the main thread, call at once; else queue it and wait."""
    if is_main():
        return function(*args, **kwargs)
    box = {}
    done = threading.Event()

    def run():
        try:
            box['value'] = function(*args, **kwargs)
        except BaseException as e:  # handed to the caller, as the applications do
            box['error'] = e
        finally:
            done.set()

    _calls.put(run)
    done.wait()
    if 'error' in box:
        raise box['error']
    return box.get('value')


def defer(function, *args, **kwargs):
    """What executeDeferred does: queue it, return at once."""
    _calls.put(lambda: function(*args, **kwargs))


def run_loop(until, tick=0.01):
    """The application's event loop, on the main thread, until until() is true."""
    while not until():
        try:
            call = _calls.get(True, tick)
        except queue.Empty:
            continue
        call()
