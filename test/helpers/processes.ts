import * as fs from 'fs';

/**
 * The FreeMarker JVMs that `parentPid` started and that compile with C2: a replay's render thread's (the
 * editor's and the tests' own workers run C1 only). Their command lines.
 */
export function replayWorkersOf(parentPid: number): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (parent === parentPid && command.includes('AmplitudeFreemarkerWorker') && !command.includes('TieredStop'))
        found.push(command);
    } catch {
      // a process that ended while we looked
    }
  }
  return found;
}
