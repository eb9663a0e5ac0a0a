"""A plain Python program embedding the SessionHub agent, as the agent tests' host: the facts of the Java tests'
TestHost (testapp 1.2.3, /shows/demo/sh010.blend, Cube and Camera). Commands see it as `session_host`; its main
thread serves the command queue. Arguments are sessionhub_agent.py's."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sessionhub_agent  # noqa: E402

host = sessionhub_agent.PlainHost(app='testapp', exe='testapp-bin', app_version='1.2.3',
                                  file_path='/shows/demo/sh010.blend', scene_objects=['Cube', 'Camera'],
                                  headless=False)
sys.exit(sessionhub_agent.main(host=host))
