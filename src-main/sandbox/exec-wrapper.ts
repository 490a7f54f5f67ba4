/**
 * The exit code (and stderr line) of the wrapper when it could not even fork the command: the
 * sandbox's pids limit is full of something an earlier command left behind. The command never
 * started, so the manager restarts the container (which kills everything in it) and runs the
 * command again, once.
 */
export const WRAPPER_CANNOT_FORK_EXIT = 199;
/** The stderr line that goes with {@link WRAPPER_CANNOT_FORK_EXIT}. */
export const WRAPPER_CANNOT_FORK_MESSAGE = 'clawdbot-exec: cannot fork: the sandbox is full';

/**
 * Runs a tool command so that nothing it starts outlives it. Perl (always in Debian: perl-base
 * is essential) because it starts in about 1 ms and can call prctl. It loads no module at all,
 * since a module load costs more than the whole wrapper: not POSIX (17 ms per call, hence the
 * prctl syscall number from the host), not `strict`, and no `glob`, which loads File::Glob
 * behind the scenes (5 ms per call); /proc is walked with opendir/readdir instead.
 *
 * The wrapper makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so every process the
 * command leaves behind — background jobs, `setsid` or double-forked daemons, the children of
 * a fork bomb — is re-parented to it rather than to the container's init. It runs argv
 * directly (no shell) and enforces the timeout itself with `alarm` (an exec cannot be killed
 * through the Docker API, so the timeout is enforced inside): at the deadline the command gets
 * SIGKILL. When the command ends (normally or killed), it kills every remaining descendant,
 * reaps them, and repeats until none is left, then exits with the command's status (128 +
 * signal if it was killed, so 137 on timeout). It once ran coreutils' `timeout` for this, one
 * more process start per call; `timeout` guarded nothing more: a command that kills the wrapper
 * leaves its orphans (and with `timeout`, all but its first process) running either way, and
 * those are the manager's to end (it stops waiting at the deadline and restarts the container).
 *
 * This is hygiene, not the security boundary: a command can kill the wrapper itself (same
 * uid), leaving its processes behind. The boundary is the pids, memory and CPU limits, and a
 * sandbox found full is restarted (see {@link WRAPPER_CANNOT_FORK_EXIT}).
 *
 * `/proc/<pid>/stat` is parsed from the last `)`: the command name before it is chosen by the
 * sandbox and may contain `) R 1 ` to fake a parent.
 */
const WRAPPER = String.raw`
my ($prctl, $limit, @argv) = @ARGV;
syscall($prctl, 36, 1, 0, 0, 0) if $prctl ne '';
my $child = fork();
if (!defined $child) {
  print STDERR "${WRAPPER_CANNOT_FORK_MESSAGE}\n";
  exit ${WRAPPER_CANNOT_FORK_EXIT};
}
if ($child == 0) {
  exec { $argv[0] } @argv or exit 127;
}
$SIG{ALRM} = sub { kill 'KILL', $child };
alarm($limit);
waitpid($child, 0);
my $status = $?;
alarm(0);
for (my $round = 0; $round < 10000; $round++) {
  my %children;
  opendir(my $proc, '/proc') or last;
  for my $pid (readdir $proc) {
    next unless $pid =~ /^\d+$/;
    open(my $fh, '<', "/proc/$pid/stat") or next;
    my $line = <$fh>;
    next unless defined $line && $line =~ /.*\) \S+ (\d+)/s;
    push @{$children{$1}}, $pid;
  }
  closedir($proc);
  my @left;
  my @queue = ($$);
  while (@queue) {
    my $p = shift @queue;
    for my $c (@{$children{$p} || []}) { push @left, $c; push @queue, $c; }
  }
  1 while waitpid(-1, 1) > 0;
  last unless @left;
  kill 'KILL', @left;
  select(undef, undef, undef, 0.002);
}
exit($status & 127 ? 128 + ($status & 127) : $status >> 8);
`;

// prctl's syscall number per `uname -m` (as the Docker engine reports its Architecture).
const PRCTL_SYSCALL: Readonly<Record<string, number>> = {
  x86_64: 157,
  aarch64: 167,
  riscv64: 167,
  ppc64le: 171,
  s390x: 172,
  armv7l: 172,
  i686: 172,
};

/** prctl's syscall number on an architecture, or undefined when it is not known here. */
export function prctlSyscallFor(architecture: string): number | undefined {
  return PRCTL_SYSCALL[architecture];
}

/**
 * The argv that runs `argv` under a timeout of `timeoutSec`, cleaning up after it. Without a
 * prctl number (an unknown architecture) orphans are not adopted: the wrapper still kills what
 * stays attached to it, and the manager's leftover check covers the rest.
 */
export function wrapArgv(
  argv: readonly string[],
  timeoutSec: number,
  prctlSyscall: number | undefined,
): string[] {
  // alarm takes whole seconds; `exec { $argv[0] } @argv` never hands argv to a shell.
  return [
    'perl',
    '-e',
    WRAPPER,
    String(prctlSyscall ?? ''),
    String(Math.ceil(timeoutSec)),
    ...argv,
  ];
}
