import * as fs from 'fs';
import type { FileAccess } from '../diagnostics/types';

/** FileAccess over the real disk, for the server and the CLI. */
export const nodeFiles: FileAccess = {
  readHead(absolutePath, bytes) {
    let fd: number | undefined;
    try {
      if (!fs.statSync(absolutePath).isFile()) return undefined;
      fd = fs.openSync(absolutePath, 'r');
      const buffer = new Uint8Array(bytes);
      const read = fs.readSync(fd, buffer, 0, bytes, 0);
      return buffer.subarray(0, read);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  },
  readText(absolutePath) {
    try {
      return fs.readFileSync(absolutePath, 'utf8');
    } catch {
      return undefined;
    }
  },
};
