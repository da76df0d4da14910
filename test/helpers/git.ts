import { execFileSync } from 'child_process';

/** Makes `dir` a git repository whose one commit holds its files, tagged `tag` (a release to compare with). */
export function releaseRepository(dir: string, tag: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], {
      cwd: dir,
      stdio: 'pipe',
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'release');
  git('tag', tag);
}
