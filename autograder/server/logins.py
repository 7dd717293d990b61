"""Repeated failed logins from one address: slowed, and logged without the token.

A wrong token is counted against the client's address (what uvicorn reports: the peer, or the
``X-Forwarded-For`` of a proxy it trusts). The first FREE_FAILURES within WINDOW_S seconds are
answered as usual (401); each failure beyond them locks the address out for twice as long as
the one before (1 s, 2 s, 4 s, ... up to MAX_LOCKOUT_S). While an address is locked out, any
token it sends is refused (429 with Retry-After) without being checked, so a locked-out address
cannot tell a right token from a wrong one; other addresses are not affected. A missing token is
not a failed login (the student page asks before a token is saved). Tokens are 256 random bits
(tokens.py), so this is not what keeps them secret: it keeps a shared server's log and CPU usable.
"""
import logging
import threading
import time
from collections import OrderedDict, deque

log = logging.getLogger("autograder.server")

FREE_FAILURES = 10
WINDOW_S = 600.0
MAX_LOCKOUT_S = 60.0
MAX_ADDRESSES = 10_000  # the least recently failing addresses are forgotten past this


class FailedLogins:
    """Failed logins per address; ``lockout(address)`` says how many seconds it must wait."""

    def __init__(self, clock=time.monotonic):
        self._clock, self._lock = clock, threading.Lock()
        self._failures = OrderedDict()  # address -> deque of failure times (monotonic s)
        self._locked_until = {}

    def lockout(self, address):
        """Seconds until ``address`` may try a token again (0.0: now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(address, 0.0) - self._clock())

    def failed(self, address):
        """Record a wrong token from ``address``; logs it (count, and the lockout that follows)."""
        now = self._clock()
        with self._lock:
            times = self._failures.pop(address, None) or deque()
            self._failures[address] = times  # most recent at the end
            while times and times[0] < now - WINDOW_S:
                times.popleft()
            times.append(now)
            while len(self._failures) > MAX_ADDRESSES:
                old, _ = self._failures.popitem(last=False)
                self._locked_until.pop(old, None)
            excess = len(times) - FREE_FAILURES
            wait = min(MAX_LOCKOUT_S, 2.0 ** (excess - 1)) if excess > 0 else 0.0
            if wait:
                self._locked_until[address] = now + wait
        if wait:
            log.warning("로그인 실패 (failed login) %s: %d회/%.0f분, %.0f초 동안 막음 (locked out)",
                        address, len(times), WINDOW_S / 60, wait)
        else:
            log.warning("로그인 실패 (failed login) %s: %d회/%.0f분", address, len(times), WINDOW_S / 60)
