"""A plain Python program embedding the SessionHub agent, as the agent tests' host: the facts of the Java tests'
TestHost (testapp 1.2.3, /shows/demo/sh010.blend, Cube and Camera). Commands see it as `session_host`; its main
thread serves the command queue. Arguments are sessionhub_agent.py's."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sessionhub_agent  # noqa: E402



class Scene(object):
    """What a command sees as `scene`: add(name, kind) adds an object (a unique name) and returns its name."""

    def __init__(self, host):
        self.host = host

    def add(self, name, kind='EMPTY'):
        unique, n = name, 1
        while unique in self.host.objects:
            n += 1
            unique = '%s.%03d' % (name, n)
        self.host.objects.append(unique)
        return unique


class TestappHost(sessionhub_agent.PlainHost):
    def extra_globals(self):
        return {'session_host': self, 'scene': Scene(self)}


host = TestappHost(app='testapp', exe='testapp-bin', app_version='1.2.3',
                                  file_path='/shows/demo/sh010.blend', scene_objects=['Cube', 'Camera'],
                                  headless=False)
sys.exit(sessionhub_agent.main(host=host))
