"""Stand-in for Houdini's hou: applicationVersionString, isUIAvailable, hipFile, node('/obj') with children and
createNode, main-thread only as hou is in practice for scene edits."""
import standin_mainloop


class _Node(object):
    def __init__(self, name, children=None):
        self._name = name
        self._children = children if children is not None else []

    def name(self):
        return self._name

    def children(self):
        standin_mainloop.is_main() or _refuse()
        return tuple(self._children)

    def createNode(self, node_type, node_name=None):  # noqa: N802
        standin_mainloop.is_main() or _refuse()
        node = _Node(node_name or '%s1' % node_type)
        self._children.append(node)
        return node


def _refuse():
    raise RuntimeError('hou called off the main thread')


_obj = _Node('obj', [_Node('cam1'), _Node('geo1')])


class hipFile(object):  # noqa: N801 (Houdini's name)
    @staticmethod
    def path():
        return '/proj/fx/sh010_fx_v002.hip'

    @staticmethod
    def isNewFile():  # noqa: N802
        return False


def applicationVersionString():  # noqa: N802
    return '20.0.547'


def isUIAvailable():  # noqa: N802
    return False


def node(path):
    return _obj if path == '/obj' else None
