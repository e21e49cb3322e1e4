import { test } from 'node:test';
import { checkFormat } from './check.js';

test('scaffold zookeeper.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('zookeeper.log'));
test('scaffold hdfs.log: >=95% of lines parsed with @timestamp right by a real run; its DDL loads SQLite and MariaDB', () => checkFormat('hdfs.log'));
