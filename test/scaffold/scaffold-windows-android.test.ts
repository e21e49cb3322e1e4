import { test } from 'node:test';
import { checkFormat } from './check.js';

test('scaffold windows-cbs.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('windows-cbs.log'));
test('scaffold android-logcat.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('android-logcat.log'));
