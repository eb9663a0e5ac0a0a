"""Stand-in for Houdini's hdefereval: executeInMainThreadWithResult(code, *args, **kwargs) runs a callable on the
main thread and returns its result; executeDeferred(code, *args, **kwargs) queues it."""
import standin_mainloop


def executeInMainThreadWithResult(code, *args, **kwargs):  # noqa: N802 (Houdini's name)
    return standin_mainloop.call_on_main(code, *args, **kwargs)


def executeDeferred(code, *args, **kwargs):  # noqa: N802
    standin_mainloop.defer(code, *args, **kwargs)
