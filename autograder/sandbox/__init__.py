"""Runs a student's answer cells in a separate, isolated process and calls their functions.

Inside the sandbox (stdlib + numpy only): ``fork_server.py`` keeps numpy imported and forks a
session process per notebook, which runs ``runner.py`` (executes cells, answers calls); the fork
server is also the session's watchdog (memory of all its processes together, their number). On
the trusted side: ``isolation.py`` builds the bubblewrap command, ``cgroup.py`` gives a sandbox
its own cgroup v2 where the machine allows one, ``pool.py`` keeps warm sandboxes per process and
resets them between notebooks, ``session.py`` feeds one notebook's session and kills it, and
says which limit ended it. ``wire.py`` encodes values for the socket between the two sides.
"""
from autograder.sandbox.session import SandboxSession

__all__ = ["SandboxSession"]
