"""A minimal asyncio Socket.IO client for bench/live.py: Engine.IO 4 over WebSocket, Socket.IO 5
packets, enough for join/emit/ack/events, so thousands of clients fit in one process without a
thread each. Never run by the test suite.
"""

import asyncio
import base64
import json
import os
import struct


class SioClient:
    """Engine.IO v4 over WebSocket, Socket.IO v5 packets; enough for join/emit/ack/events."""

    def __init__(self, host: str, port: int, cookie: str = "", source: str | None = None):
        self.host, self.port, self.cookie = host, port, cookie
        self.source = source  # local address to connect from (nginx's ip_hash reads it)
        self.handlers = {}
        self.acks = {}
        self.next_ack = 0
        self.namespaces = {}
        self.reader = self.writer = None
        self.task = None

    async def connect(self, namespace: str):
        self.reader, self.writer = await asyncio.open_connection(
            self.host,
            self.port,
            limit=2**20,
            local_addr=(self.source, 0) if self.source else None,
        )
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head[:200])
        opened = await self._recv()
        assert opened.startswith("0"), opened
        fut = asyncio.get_running_loop().create_future()
        self.namespaces[namespace] = fut
        self.task = asyncio.create_task(self._loop())
        await self._send(f"40{namespace}," if namespace != "/" else "40")
        await asyncio.wait_for(fut, 60)

    def on(self, event, fn):
        self.handlers[event] = fn

    async def emit(self, namespace: str, event: str, data, ack: bool = False):
        prefix = f"42{namespace}," if namespace != "/" else "42"
        fut = None
        if ack:
            self.next_ack += 1
            fut = asyncio.get_running_loop().create_future()
            self.acks[self.next_ack] = fut
            prefix += str(self.next_ack)
        await self._send(prefix + json.dumps([event, data], ensure_ascii=False))
        return await asyncio.wait_for(fut, 60) if fut else None

    async def close(self):
        if self.task:
            self.task.cancel()
        if self.writer:
            self.writer.close()

    async def _send(self, text: str):
        payload = text.encode()
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(header + mask + masked)
        await self.writer.drain()

    async def _recv(self) -> str:
        data = b""
        while True:
            b1, b2 = await self.reader.readexactly(2)
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack("!H", await self.reader.readexactly(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", await self.reader.readexactly(8))[0]
            chunk = await self.reader.readexactly(n)
            opcode = b1 & 0x0F
            if opcode == 8:
                raise ConnectionError("closed")
            if opcode == 9:
                self.writer.write(struct.pack("!BB", 0x8A, 0x80) + b"\0\0\0\0")
                continue
            data += chunk
            if b1 & 0x80:
                return data.decode()

    async def _loop(self):
        try:
            while True:
                pkt = await self._recv()
                if pkt == "2":
                    await self._send("3")
                    continue
                if not pkt.startswith("4"):
                    continue
                kind, rest = pkt[1], pkt[2:]
                ns = "/"
                if rest.startswith("/"):
                    ns, _, rest = rest.partition(",")
                if kind == "0":
                    fut = self.namespaces.get(ns)
                    if fut and not fut.done():
                        fut.set_result(True)
                elif kind == "4":
                    fut = self.namespaces.get(ns)
                    if fut and not fut.done():
                        fut.set_exception(ConnectionError(rest))
                elif kind in "23":
                    i = 0
                    while i < len(rest) and rest[i].isdigit():
                        i += 1
                    ack_id, body = rest[:i], json.loads(rest[i:])
                    if kind == "3":
                        fut = self.acks.pop(int(ack_id), None)
                        if fut and not fut.done():
                            fut.set_result(body[0] if body else None)
                    else:
                        fn = self.handlers.get(body[0])
                        if fn:
                            fn(body[1] if len(body) > 1 else None)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            return
