import * as net from 'node:net';

/**
 * A raw socket server on loopback (no HTTP library to tidy up what it sends): `onRequest` gets the socket once
 * the client's first bytes arrive. `close` ends every connection still open, then the server.
 */
export function rawServer(onRequest: (socket: net.Socket) => void): Promise<{ url: string; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => onRequest(socket));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      });
    }),
  );
}
