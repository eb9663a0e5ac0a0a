"""Stand-in for maya.cmds: about, file, ls and polyCube, over a list of top-level transforms. Like the real
maya.cmds, it refuses to be used off the main thread."""
import standin_mainloop

_scene = ['persp', 'top', 'front', 'side']


def _main_thread_only(name):
    if not standin_mainloop.is_main():
        raise RuntimeError('maya.cmds.%s called off the main thread' % name)


def about(version=False, batch=False):
    _main_thread_only('about')
    if version:
        return '2024'
    if batch:
        return False
    return ''


def file(q=False, sceneName=False, **kwargs):  # noqa: A001,N803 (Maya's names)
    _main_thread_only('file')
    return '/proj/seq/sh010/anim_v003.ma' if q and sceneName else None


def ls(assemblies=False, **kwargs):
    _main_thread_only('ls')
    return list(_scene)


def polyCube(name='pCube1', **kwargs):  # noqa: N802
    _main_thread_only('polyCube')
    _scene.append(name)
    return [name, 'polyCube1']
