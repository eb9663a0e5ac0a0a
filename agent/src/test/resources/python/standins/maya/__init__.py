"""Stand-in for Maya's `maya` package (maya.utils, maya.cmds): only what the SessionHub adapter uses."""
