/** java / tomcat / catalina: field layout per logstash-patterns-core's java spec (our own sample lines). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grok, includes, MODES } from './expect.js';

test('JAVACLASS with underscores and JAVAFILE with spaces match whole', () => {
  for (const m of MODES) {
    grok('^%{JAVACLASS}$', 'org.example.jobs.Retry_Policy_Handler', m);
    grok('^%{JAVAFILE}$', 'Unknown Source', m);
  }
});

test('JAVASTACKTRACEPART: method, class, file and line (a number in ECS mode only)', () => {
  const line = '\tat net.example.billing.InvoiceService.total(InvoiceService.java:311)';
  includes(grok('%{JAVASTACKTRACEPART}', line, 'v1'), {
    log: { origin: { function: 'total', file: { name: 'InvoiceService.java', line: 311 } } },
    java: { log: { origin: { class: { name: 'net.example.billing.InvoiceService' } } } },
  });
  includes(grok('%{JAVASTACKTRACEPART}', line, 'disabled'), { method: 'total', class: 'net.example.billing.InvoiceService', file: 'InvoiceService.java', line: '311' });

  const gen = '  at org.jruby.gen.Blocks$Proc$7$invoke.call(Blocks$Proc$7$invoke.gen)';
  includes(grok('%{JAVASTACKTRACEPART}', gen, 'v1'), {
    log: { origin: { function: 'call', file: { name: 'Blocks$Proc$7$invoke.gen' } } },
    java: { log: { origin: { class: { name: 'org.jruby.gen.Blocks$Proc$7$invoke' } } } },
  });
  includes(grok('%{JAVASTACKTRACEPART}', gen, 'disabled'), { method: 'call', class: 'org.jruby.gen.Blocks$Proc$7$invoke', file: 'Blocks$Proc$7$invoke.gen' });
});

test('CATALINALOG: Tomcat 4-7 two-line records', () => {
  const t4 = 'Jan 15, 2021 9:05:07 AM org.apache.catalina.startup.Catalina <clinit>\nINFO: Server startup in 812 ms';
  includes(grok('%{CATALINALOG}', t4, 'v1'), {
    timestamp: 'Jan 15, 2021 9:05:07 AM',
    java: { log: { origin: { class: { name: 'org.apache.catalina.startup.Catalina' } } } },
    log: { level: 'INFO', origin: { function: '<clinit>' } }, message: 'Server startup in 812 ms',
  });
  includes(grok('%{CATALINALOG}', t4, 'disabled'), {
    timestamp: 'Jan 15, 2021 9:05:07 AM', class: 'org.apache.catalina.startup.Catalina', logmessage: '<clinit>\nINFO: Server startup in 812 ms',
  });

  const t6 = 'Feb 1, 2021 10:11:12 PM org.apache.coyote.AbstractProtocol start\nWARNING: Starting ProtocolHandler ["ajp-nio-8009"]';
  includes(grok('%{CATALINALOG}', t6, 'v1'), {
    timestamp: 'Feb 1, 2021 10:11:12 PM', log: { level: 'WARNING', origin: { function: 'start' } }, message: 'Starting ProtocolHandler ["ajp-nio-8009"]',
  });
  includes(grok('%{CATALINALOG}', t6, 'disabled'), { class: 'org.apache.coyote.AbstractProtocol', logmessage: 'start\nWARNING: Starting ProtocolHandler ["ajp-nio-8009"]' });
});

test('CATALINALOG: Tomcat 8.5/9 one-line records and a multi-line stack trace (ECS mode)', () => {
  const t9 = '02-Feb-2021 07:08:09.101 INFO [main] org.apache.catalina.startup.HostConfig.deployWAR Deploying web application archive [/srv/tomcat/webapps/shop.war]';
  includes(grok('%{CATALINALOG}', t9, 'v1'), {
    timestamp: '02-Feb-2021 07:08:09.101',
    java: { log: { origin: { thread: { name: 'main' }, class: { name: 'org.apache.catalina.startup.HostConfig' } } } },
    log: { level: 'INFO', origin: { function: 'deployWAR' } }, message: 'Deploying web application archive [/srv/tomcat/webapps/shop.war]',
  });

  const trace = '03-Feb-2021 01:02:03.004 SEVERE [http-nio-8080-exec-3] org.apache.catalina.core.StandardWrapperValve.invoke Servlet.service() threw exception\n' +
    '\tjava.lang.IllegalStateException: closed\n\t\tat org.example.Web.handle(Web.java:10)\n\tCaused by: java.io.IOException: Broken pipe\n\t\t... 4 more\n';
  const e = grok('%{CATALINALOG}', trace, 'v1');
  includes(e, {
    timestamp: '03-Feb-2021 01:02:03.004',
    java: { log: { origin: { thread: { name: 'http-nio-8080-exec-3' }, class: { name: 'org.apache.catalina.core.StandardWrapperValve' } } } },
    log: { level: 'SEVERE', origin: { function: 'invoke' } },
  });
  const msg = e['message'] as string;
  assert.ok(msg.startsWith('Servlet.service() threw exception'));
  assert.ok(msg.includes('Caused by: java.io.IOException: Broken pipe'));
});

test('TOMCATLOG: 8.x and 7.x records, a multi-line trace, and the pipe-separated format', () => {
  const t8 = '04-Feb-2021 12:00:00.000 INFO [Catalina-utility-1] org.apache.catalina.core.ApplicationContext.log SessionListener: sessionCreated(id=A1B2)';
  const e8 = grok('%{TOMCATLOG}', t8, 'v1');
  includes(e8, {
    timestamp: '04-Feb-2021 12:00:00.000', log: { level: 'INFO', origin: { function: 'log' } },
    java: { log: { origin: { class: { name: 'org.apache.catalina.core.ApplicationContext' }, thread: { name: 'Catalina-utility-1' } } } },
    message: 'SessionListener: sessionCreated(id=A1B2)',
  });

  const t7 = 'Feb 4, 2021 1:00:00 PM org.apache.catalina.core.ApplicationContext log\nINFO: ContextListener: contextInitialized()';
  includes(grok('%{TOMCATLOG}', t7, 'v1'), {
    timestamp: 'Feb 4, 2021 1:00:00 PM', log: { level: 'INFO', origin: { function: 'log' } },
    java: { log: { origin: { class: { name: 'org.apache.catalina.core.ApplicationContext' } } } }, message: 'ContextListener: contextInitialized()',
  });

  const multi = 'Mar 5, 2019 8:00:00 AM org.apache.catalina.core.StandardWrapperValve invoke\n' +
    'SEVERE: Servlet.service() for servlet [api] threw exception\njava.lang.NullPointerException\n    at org.example.Api.get(Api.java:7)\n    at java.lang.Thread.run(Thread.java:748)\n';
  const m = grok('%{TOMCATLOG}', multi, 'v1');
  includes(m, { timestamp: 'Mar 5, 2019 8:00:00 AM', log: { level: 'SEVERE', origin: { function: 'invoke' } } });
  assert.ok((m['message'] as string).startsWith('Servlet.service() for servlet [api] threw exception'));
  assert.ok((m['message'] as string).includes('at java.lang.Thread.run(Thread.java'));

  const pipe = '2021-02-05 06:07:08,909 +0100 | WARN | org.example.cache.Loader - cache miss storm detected';
  includes(grok('%{TOMCATLOG}', pipe, 'v1'), {
    timestamp: '2021-02-05 06:07:08,909 +0100', log: { level: 'WARN' },
    java: { log: { origin: { class: { name: 'org.example.cache.Loader' } } } }, message: 'cache miss storm detected',
  });
  includes(grok('%{TOMCATLOG}', pipe, 'disabled'), { timestamp: '2021-02-05 06:07:08,909 +0100', level: 'WARN', logmessage: 'cache miss storm detected' });
});
