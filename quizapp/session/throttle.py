"""Join-code throttling: guessing the 6-digit code must take days, a learner with the code joins at once.

Two token buckets count *wrong* codes (a right code costs nothing):

* per address (an IPv4 address, or an IPv6 /64, i.e. one machine): ``address_burst`` wrong
  codes, then one per ``address_interval`` seconds;
* shared by every address that gave a wrong code in the last ``suspect_window`` seconds:
  ``global_burst``, then one per ``global_interval`` seconds.

A join from an address whose bucket is empty is refused *before its code is looked at*, so a
refused attempt tells the attacker nothing; opening more connections does not help, because every
connection from the address draws on the same bucket. An address with no wrong code in the last
``suspect_window`` is always checked, so a learner typing the right code gets in at once while
someone else hammers the server (a learner who mistyped during an attack may have to wait).

Best rate an attacker reaches (see :func:`seconds_to_try_codes`), with the defaults:

* one machine, one address: 5 codes, then 1 every 5 s: trying all 1,000,000 codes takes about
  5.0e6 s (58 days); half of them, the expected time to hit the code, about 29 days;
* K addresses (a machine with many IPv4 aliases, or many machines): each address gets one try
  past the shared bucket per 10 minutes, the shared bucket 2 per second: about
  1e6 / (2 + K/600) s, 4.8 days for K = 254 (a whole /24), 3.2 days for K = 1,000.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from typing import Callable

CODE_SPACE = 1_000_000  # six digits


@dataclass(frozen=True)
class ThrottleLimits:
    address_burst: int = 5  # wrong codes an address may try before it is slowed down
    address_interval: float = 5.0  # then one wrong code per this many seconds per address
    global_burst: int = 30  # wrong codes from failing addresses, all together, before they are slowed
    global_interval: float = 0.5  # then one per this many seconds from all of them together
    suspect_window: float = 600.0  # an address that gave a wrong code this recently shares the global bucket


def seconds_to_try_codes(limits: ThrottleLimits, codes: int = CODE_SPACE, addresses: int = 1) -> float:
    """Least time an attacker with ``addresses`` addresses needs to try ``codes`` wrong codes.

    Each address tries ``address_burst`` codes at once, then one per ``address_interval``.
    Past the shared bucket (``global_burst``, then one per ``global_interval``), an address gets
    one more try each time ``suspect_window`` has passed since its last wrong code. The attacker
    is as fast as the tighter of the two limits.
    """
    per_address = max(0, codes - addresses * limits.address_burst) * limits.address_interval / addresses
    shared_rate = 1 / limits.global_interval + addresses / limits.suspect_window
    overall = max(0, codes - addresses - limits.global_burst) / shared_rate
    return max(per_address, overall)


def address_key(host: str) -> str:
    """The throttling key for a peer address: the IPv4 address, or the /64 network of an IPv6 one."""
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class JoinThrottle:
    """Rate limits on wrong join codes (GCRA token buckets, injectable clock)."""

    def __init__(self, limits: ThrottleLimits | None = None, clock: Callable[[], float] = time.monotonic):
        self.limits = limits or ThrottleLimits()
        self.clock = clock
        self._full_at: dict[str, float] = {}  # address -> time its bucket is full again
        self._last_wrong: dict[str, float] = {}  # address -> time of its last wrong code
        self._global_full_at = 0.0

    def wait(self, address: str) -> float:
        """0 if a join from ``address`` may be checked now, else the seconds until it may."""
        now = self.clock()
        lim = self.limits
        over = self._full_at.get(address, now) - now - (lim.address_burst - 1) * lim.address_interval
        if over > 0:
            return over
        if now - self._last_wrong.get(address, -lim.suspect_window - 1) < lim.suspect_window:
            over = self._global_full_at - now - (lim.global_burst - 1) * lim.global_interval
            if over > 0:
                return over
        return 0.0

    def failed(self, address: str) -> None:
        """Count one wrong code from ``address``."""
        now = self.clock()
        lim = self.limits
        self._full_at[address] = max(self._full_at.get(address, now), now) + lim.address_interval
        self._last_wrong[address] = now
        self._global_full_at = max(self._global_full_at, now) + lim.global_interval
        if len(self._last_wrong) > 10_000:  # forget addresses that are neither slowed nor suspect
            keep = {a for a, t in self._last_wrong.items() if now - t < lim.suspect_window or self._full_at[a] > now}
            self._last_wrong = {a: self._last_wrong[a] for a in keep}
            self._full_at = {a: self._full_at[a] for a in keep}
