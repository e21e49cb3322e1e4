import { test } from 'node:test';
import { checkFormat } from './check.js';

test('scaffold linux-syslog.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('linux-syslog.log'));
test('scaffold openssh.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('openssh.log'));
