import { test } from 'node:test';
import { checkFormat } from './check.js';

test('scaffold nginx-json.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('nginx-json.log'));
test('scaffold transactions.csv: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('transactions.csv'));
