"""Stand-in for maya.utils, following Maya's documented API: executeInMainThreadWithResult(callable, *args) runs
the callable on the main thread and returns its result (directly when called from the main thread);
executeDeferred(callable, *args) queues it and returns."""
import standin_mainloop


def executeInMainThreadWithResult(callable_, *args):  # noqa: N802 (Maya's name)
    return standin_mainloop.call_on_main(callable_, *args)


def executeDeferred(callable_, *args):  # noqa: N802
    standin_mainloop.defer(callable_, *args)
