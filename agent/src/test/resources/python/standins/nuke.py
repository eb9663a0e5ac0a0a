"""Stand-in for Nuke's nuke module: executeInMainThreadWithResult(call, args=(), kwargs={}), executeInMainThread,
NUKE_VERSION_STRING, GUI, root().name(), allNodes() and createNode()."""
import standin_mainloop

NUKE_VERSION_STRING = '15.0v4'
GUI = False


class _Node(object):
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name


_nodes = [_Node('Read1'), _Node('Write1')]


def executeInMainThreadWithResult(call, args=(), kwargs=None):  # noqa: N802 (Nuke's name)
    return standin_mainloop.call_on_main(call, *args, **(kwargs or {}))


def executeInMainThread(call, args=(), kwargs=None):  # noqa: N802
    standin_mainloop.defer(call, *args, **(kwargs or {}))


def root():
    return _Node('/proj/comp/sh010_comp_v007.nk')


def allNodes():  # noqa: N802
    if not standin_mainloop.is_main():
        raise RuntimeError('nuke.allNodes called off the main thread')
    return list(_nodes)


def createNode(node_class, **kwargs):  # noqa: N802
    node = _Node('%s1' % node_class)
    _nodes.append(node)
    return node
