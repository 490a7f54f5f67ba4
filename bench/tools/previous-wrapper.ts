/**
 * The exec wrapper as it was before issue 5's speed work, kept only so the bench can show in
 * the same run what the change bought: the same cleanup, but `use strict`, a `glob` over /proc
 * (which loads File::Glob on every call), coreutils `timeout` started in between for the
 * deadline, and the tool command under a login shell (`bash -lc`).
 * Never used to run tools.
 */
const PREVIOUS_WRAPPER = String.raw`
use strict;
my ($prctl, $limit, @argv) = @ARGV;
syscall($prctl, 36, 1, 0, 0, 0) if $prctl ne '';
my $child = fork();
if (!defined $child) {
  print STDERR "clawdbot-exec: cannot fork: the sandbox is full\n";
  exit 199;
}
if ($child == 0) {
  exec('timeout', '--signal=KILL', $limit, @argv) or exit 127;
}
waitpid($child, 0);
my $status = $?;
for (my $round = 0; $round < 10000; $round++) {
  my %children;
  for my $stat (glob '/proc/[0-9]*/stat') {
    open(my $fh, '<', $stat) or next;
    my $line = <$fh>;
    next unless defined $line && $line =~ /.*\) \S+ (\d+)/s;
    my $parent = $1;
    my ($pid) = $stat =~ m{^/proc/(\d+)/};
    push @{$children{$parent}}, $pid;
  }
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

/** The argv the previous sandbox ran a bash tool `command` as. */
export function previousWrappedBash(command: string, prctlSyscall: number | undefined): string[] {
  return [
    'perl',
    '-e',
    PREVIOUS_WRAPPER,
    String(prctlSyscall ?? ''),
    '120s',
    'bash',
    '-lc',
    command,
  ];
}
