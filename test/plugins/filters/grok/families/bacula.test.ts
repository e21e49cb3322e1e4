/** Bacula: field layout per logstash-patterns-core's bacula spec (our own sample lines). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes, including, noMatch } from './expect.js';

const L = '%{BACULA_LOGLINE}';

test('bacula: maximum capacity message', () => {
  const line = 'User defined maximum volume capacity 52,428,800,000 exceeded on device "DiskStore2" (/srv/bacula/store2).';
  includes(grok('%{BACULA_LOG_MAX_CAPACITY}', line, 'v1'), { bacula: { volume: { max_capacity: '52,428,800,000', device: 'DiskStore2', path: '/srv/bacula/store2' } } });
  includes(grok('%{BACULA_LOG_MAX_CAPACITY}', line, 'disabled'), { device: 'DiskStore2' });
});

test('bacula: end of volume keeps bytes/blocks as strings and a dated timestamp', () => {
  const line = 'End of medium on Volume "Weekly-0042" Bytes=7,340,032 Blocks=113 at 03-Mar-2024 22:10.';
  const ecs = grok('%{BACULA_LOG_END_VOLUME}', line, 'v1');
  including(ecs['bacula'], { volume: { name: 'Weekly-0042', bytes: '7,340,032', blocks: '113' }, timestamp: '03-Mar-2024 22:10' });
  includes(grok('%{BACULA_LOG_END_VOLUME}', line, 'disabled'), { volume: 'Weekly-0042' });
});

test('bacula: new volume line with job id', () => {
  const line = '14-Feb 02:05 backup-dir JobId 31337: Created new Volume "Inc-0107" in catalog.';
  const ecs = grok(L, line, 'v1');
  includes(ecs, { timestamp: '14-Feb 02:05', bacula: { volume: { name: 'Inc-0107' }, job: { id: '31337' } }, host: { hostname: 'backup-dir' } });
  includes(grok(L, line, 'disabled'), { bts: '14-Feb 02:05', volume: 'Inc-0107', hostname: 'backup-dir', jobid: '31337' });
});

test('bacula: labeled, prelabeled and mounted volumes carry device and path', () => {
  const labeled = '02-Sep 08:15 store-sd JobId 7: Labeled new Volume "Pool-0003" on device "Chgr0-Dev0" (/data/bacula).';
  including(grok(L, labeled, 'v1')['bacula'], { volume: { name: 'Pool-0003', device: 'Chgr0-Dev0', path: '/data/bacula' }, job: { id: '7' } });
  includes(grok(L, labeled, 'disabled'), { volume: 'Pool-0003', device: 'Chgr0-Dev0' });

  const wrote = '02-Sep 08:16 store-sd JobId 8: Wrote label to prelabeled Volume "Tape07" on device "LTO-1" (/dev/nst1)';
  including(grok(L, wrote, 'v1')['bacula'], { volume: { name: 'Tape07', device: 'LTO-1', path: '/dev/nst1' } });
  includes(grok(L, wrote, 'disabled'), { jobid: '8', volume: 'Tape07' });

  const mounted = '19-Oct 03:40 vault-sd JobId 4410: New volume "Diff-0911" mounted on device "vDisk-3" (/srv/vols) at 19-Oct-2023 03:40.';
  including(grok(L, mounted, 'v1')['bacula'], { volume: { name: 'Diff-0911', device: 'vDisk-3', path: '/srv/vols' } });
  includes(grok(L, mounted, 'disabled'), { device: 'vDisk-3', volume: 'Diff-0911', hostname: 'vault-sd', jobid: '4410' });
});

test('bacula: file errors go to file.path / error.message (ECS) or berror (legacy)', () => {
  const line = '07-Jul 11:02 desk-fd JobId 12: Could not open directory "/home/ana/.cache": ERR=Permission denied';
  includes(grok(L, line, 'v1'), { timestamp: '07-Jul 11:02', file: { path: '/home/ana/.cache' }, error: { message: 'Permission denied' } });
  includes(grok(L, line, 'disabled'), { bts: '07-Jul 11:02', berror: 'Permission denied' });

  // A host name with dots is a HOSTNAME in ECS mode only; legacy BACULA_HOST has no dots.
  const stat = '03-Jan 04:05 node1.example.net JobId 2:      Could not stat /etc/app/db.conf: ERR=No such file or directory';
  includes(grok(L, stat, 'v1'), { timestamp: '03-Jan 04:05', file: { path: '/etc/app/db.conf' }, error: { message: 'No such file or directory' } });
  noMatch(L, stat, 'disabled');
});

test('bacula: pruning and job lines', () => {
  const pruned = '05-May 01:00 main-dir: All records pruned from Volume "Full-0001"; marking it "Purged"';
  includes(grok(L, pruned, 'v1'), { timestamp: '05-May 01:00', bacula: { volume: { name: 'Full-0001' } }, host: { hostname: 'main-dir' } });
  includes(grok(L, pruned, 'disabled'), { hostname: 'main-dir', volume: 'Full-0001' });

  const jobs = '11-Nov 23:59 main-dir: Pruned 3 Jobs for client web-01 from catalog.';
  includes(grok(L, jobs, 'v1'), { bacula: { client: { name: 'web-01' } }, host: { hostname: 'main-dir' } });
  includes(grok(L, jobs, 'disabled'), { hostname: 'main-dir', client: 'web-01' });

  const start = '21-Jun 21:00 main-dir JobId 2044: Start Backup JobId 2044, Job=db1-nightly.2024-06-21_21.00.00_12';
  includes(grok(L, start, 'v1'), { bacula: { job: { name: 'db1-nightly.2024-06-21_21.00.00_12', id: '2044' } } });
  includes(grok(L, start, 'disabled'), { job: 'db1-nightly.2024-06-21_21.00.00_12', jobid: '2044' });

  const diff = '08-Apr 02:30 files-fd JobId 90:      /mnt/nfs is a different filesystem. Will not descend from /mnt into it.';
  includes(grok(L, diff, 'v1'), { timestamp: '08-Apr 02:30' });
  includes(grok(L, diff, 'disabled'), { bts: '08-Apr 02:30' });

  const end = '30-Sep 05:12 store-sd JobId 55: Job write elapsed time = 00:03:27, Transfer rate = 12.5 M Bytes/second';
  includes(grok(L, end, 'v1'), { bacula: { job: { elapsed_time: '00:03:27', id: '55' } } });
  includes(grok(L, end, 'disabled'), { jobid: '55', elapsed: '00:03:27' });
});

test('bacula: a dated timestamp and an unquoted volume match in ECS mode only', () => {
  const line = '09-Feb-2019 08:30 tape-sd: Volume weekly05 previously written, moving to end of data.';
  includes(grok(L, line, 'v1'), { timestamp: '09-Feb-2019 08:30', bacula: { volume: { name: 'weekly05' } } });
  noMatch(L, line, 'disabled');
});

test('bacula: volume size is a number in ECS mode only', () => {
  const line = 'Ready to append to end of Volume "Inc-0420" size=4096000';
  includes(grok('%{BACULA_LOG_READYAPPEND}', line, 'v1'), { bacula: { volume: { name: 'Inc-0420', size: 4096000 } } });
  const legacy = grok('%{BACULA_LOG_READYAPPEND}', line, 'disabled');
  includes(legacy, { volume: 'Inc-0420' });
  assert.equal(legacy['size'], undefined);
});

test('bacula: client run-before command, connection and authentication errors', () => {
  const rbj = '12-Dec 18:00 mail-fd JobId 700: shell command: run ClientRunBeforeJob "/usr/local/sbin/pre-dump.sh --all"';
  includes(grok(L, rbj, 'v1'), { bacula: { job: { id: '700', client_run_before_command: '/usr/local/sbin/pre-dump.sh --all' } } });
  includes(grok(L, rbj, 'disabled'), { jobid: '700', runjob: '/usr/local/sbin/pre-dump.sh --all' });

  const conn = '20-Mar 09:09 main-dir JobId 42: Fatal error: bsock.c:133 Unable to connect to Client: files-fd on files.corp.lan:9102. ERR=No route to host';
  const ecs = grok(L, conn, 'v1');
  includes(ecs, { client: { address: 'files.corp.lan', port: 9102 }, error: { message: 'No route to host' } });
  including(ecs['bacula'], { client: { name: 'files-fd' } });
  includes(grok(L, conn, 'disabled'), { client: 'files-fd', berror: 'No route to host' });

  const auth = '01-Jun 12:00 main-dir JobId 0: Fatal error: Unable to authenticate with File daemon at "laptop.home.lan:9102". Possible causes:';
  const a = grok(L, auth, 'v1')['client'] as Record<string, unknown>;
  assert.equal(a['address'], 'laptop.home.lan');
  assert.equal(Number(a['port']), 9102);
});

test('bacula: cancelling a duplicate and marking a job canceled', () => {
  const cancel = '10-Oct 10:10 DIR1 JobId 5001: Cancelling duplicate JobId=4999.';
  including(grok(L, cancel, 'v1')['bacula'], { job: { id: '5001', duplicate_id: '4999' } });
  includes(grok(L, cancel, 'disabled'), { jobid: '5001' });

  const mark = '04-Apr 16:20 Archive-sd JobId 8123, Job home_dirs.2024-04-04_16.00.00_07 marked to be canceled.';
  including(grok(L, mark, 'v1')['bacula'], { job: { id: '8123', name: 'home_dirs.2024-04-04_16.00.00_07' } });
  includes(grok(L, mark, 'disabled'), { job: 'home_dirs.2024-04-04_16.00.00_07' });
});
