import { spawn, type ChildProcess } from 'node:child_process';

/** Starts a server in a child process that prints its port on a line of its own; answers that port. */
export async function spawnPortServer(args: string[], label: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /(\d+)\n/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
  });
  return { port, child };
}
