"""Run a command under a seccomp filter that denies making namespaces, as Docker's default profile does.

Usage: /usr/bin/python3 tests/deny_namespaces.py COMMAND [ARGS...]   (Debian's python3-seccomp)

unshare and setns fail with EPERM, clone with any CLONE_NEW* flag fails with EPERM and clone3 with
ENOSYS (so the C library falls back to clone): what bubblewrap meets inside a default Docker
container. The filter is inherited by the command and everything it starts.
"""
import errno
import os
import sys

import seccomp

CLONE_NEW_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)

rules = seccomp.SyscallFilter(seccomp.ALLOW)
rules.add_rule(seccomp.ERRNO(errno.EPERM), "unshare")
rules.add_rule(seccomp.ERRNO(errno.EPERM), "setns")
rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
for flag in CLONE_NEW_FLAGS:
    rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
rules.load()
os.execvp(sys.argv[1], sys.argv[1:])
