import { test } from 'node:test';
import { checkFormat } from './check.js';

test('scaffold apache-access.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('apache-access.log'));
test('scaffold apache-error.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('apache-error.log'));
