"""Broken brokers on 127.0.0.1, for the web side of a broker outage.

- ``closed_port()``: nothing listens, connections are refused at once.
- ``Blackhole``: the handshake completes, then not a byte comes back.
- ``FreezableProxy``: forwards to the real Redis until ``freeze()``; from then
  on connections already open (the publisher's pool) and new ones get no
  answer — Redis hanging, a dead NAT entry, a failover in progress.
"""

import select
import socket
import threading
import time
from urllib.parse import urlsplit


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Blackhole:
    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]

    def close(self) -> None:
        self.socket.close()


class FreezableProxy:
    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        self.upstream = (parts.hostname, parts.port or 6379)
        self.frozen = threading.Event()
        self.closed = threading.Event()
        self.sockets: list[socket.socket] = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self.frozen.set()

    def close(self) -> None:
        self.closed.set()
        for sock in [self.listener, *self.sockets]:
            sock.close()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.sockets.append(client)
            if self.frozen.is_set():
                continue  # accepted, never answered
            upstream = socket.create_connection(self.upstream)
            self.sockets.append(upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while not self.closed.is_set():
                if self.frozen.is_set():
                    time.sleep(0.05)
                    continue
                readable, _, _ = select.select([source], [], [], 0.05)
                if not readable or self.frozen.is_set():
                    continue
                data = source.recv(65536)
                if not data:
                    return
                target.sendall(data)
        except (OSError, ValueError):
            return
