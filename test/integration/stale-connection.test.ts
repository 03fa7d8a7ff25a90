import net from 'node:net';
import { nodeHttpPost } from '../../lambdas/adapters/aws-wire/node-http-post';

// A kept-alive connection the server closed while it sat idle (lambdas/adapters/aws-wire/node-http-post.ts):
// the request written to it is sent once more on a connection of its own. The server here speaks just enough
// HTTP/1.1 to answer, and drops a connection, unanswered, at the request it is told to.

interface RawServer {
  url: URL;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Answers 200 `{"n":<request number>}` on kept-alive connections; `drop(connection, request)` decides which to cut. */
async function rawServer(drop: (connection: number, requestOnConnection: number) => boolean): Promise<RawServer> {
  let connections = 0;
  let answered = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const connection = ++connections;
    let requests = 0;
    let buffered = '';
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        const headerEnd = buffered.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(buffered.slice(0, headerEnd))?.[1] ?? 0);
        if (buffered.length < headerEnd + 4 + length) return;
        buffered = buffered.slice(headerEnd + 4 + length);
        requests += 1;
        if (drop(connection, requests)) {
          socket.resetAndDestroy();
          return;
        }
        const body = JSON.stringify({ n: ++answered });
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`),
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const send = async (url: URL) => {
  const response = await nodeHttpPost(url, { 'content-type': 'application/x-amz-json-1.0' }, '{}');
  return { status: response.status, body: JSON.parse(await response.text()) as { n: number } };
};

it('sends a request that met a dead kept-alive connection again, on a new connection', async () => {
  // The second request on the first connection is cut unanswered: the server had closed it, as idle.
  const server = await rawServer((connection, request) => connection === 1 && request === 2);
  try {
    expect(await send(server.url)).toEqual({ status: 200, body: { n: 1 } });
    expect(await send(server.url)).toEqual({ status: 200, body: { n: 2 } });
    expect(server.connections()).toBe(2);
  } finally {
    await server.close();
  }
});

it('sends it again once only: a server that cuts every request fails it', async () => {
  const server = await rawServer((connection, request) => connection > 1 || request > 1);
  try {
    await send(server.url);
    await expect(send(server.url)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.connections()).toBe(2); // the kept-alive one, and one more
  } finally {
    await server.close();
  }
});

it('does not send again a request whose own new connection was cut', async () => {
  const server = await rawServer(() => true);
  try {
    await expect(send(server.url)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(server.connections()).toBe(1);
  } finally {
    await server.close();
  }
});
