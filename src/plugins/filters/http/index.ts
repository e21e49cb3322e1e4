/**
 * http filter: calls an HTTP(S) endpoint per event and stores the answer in the event, as
 * logstash-filter-http 1.5 does: the URL, headers, query and body are sprintf templates; a 2xx
 * answer's headers go to `target_headers` and its body to `target_body` (parsed when the answer
 * is application/json, else as trimmed text); no answer or another status tags the event
 * (`tag_on_request_failure`), a JSON body that does not parse tags it with `tag_on_json_failure`.
 * The requests of a batch run concurrently, at most `pool_max` at once (net/http-client.ts).
 */
import { ConfigError } from '../../../core/errors.js';
import type { Event } from '../../../core/event.js';
import { fieldRef } from '../../../core/fieldref.js';
import { nestingExceeds, stringifyLimited } from '../../../core/json-depth.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';
import { compileTemplate, compileTemplateTree, hasInterpolation, valueToString } from '../../../core/sprintf.js';
import { defineFilter } from '../../api.js';
import { describeHttpError, HTTP_CLIENT_OPTIONS, HttpClient, httpClientSettings, redactUrl, type HttpAnswer } from '../../net/http-client.js';

const VERBS = ['GET', 'HEAD', 'PATCH', 'DELETE', 'POST', 'PUT'];

/**
 * Largest answer body read (Logstash reads any size); a longer one is a request failure, so that
 * pool_max answers in flight keep memory bounded.
 */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** `url` with the rendered `query` hash appended (a list value repeats its key). */
function withQuery(url: URL, query: Record<string, unknown>): URL {
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, valueToString(item));
  }
  return url;
}

export const httpFilter = defineFilter({
  kind: 'filter',
  name: 'http',
  description: 'Calls an HTTP(S) endpoint per event (URL, headers, query and body from templates) and stores the answer\'s body and headers in the event.',
  options: {
    url: { type: 'string', required: true, description: 'The URL to call; sprintf allowed (%{field}).' },
    verb: { type: 'string', default: 'GET', description: 'The method: GET, HEAD, PATCH, DELETE, POST or PUT (any case).' },
    headers: { type: 'hash', default: {}, description: 'Request headers; values are sprintf templates. content-type is always set from body_format.' },
    query: { type: 'hash', default: {}, description: 'Query parameters added to the URL; values are sprintf templates (a list repeats the key).' },
    body: { type: 'any', description: 'Request body: a string template, or a hash/array whose strings are templates (sent as JSON with body_format => json).' },
    body_format: { type: 'string', default: 'text', values: ['text', 'json'], description: 'json: a hash or array body is sent as JSON, content-type application/json; text: content-type text/plain.' },
    target_body: { type: 'field_reference', description: 'Field for the answer\'s body; default `[body]` (ECS: `[http][response][body][content]`).' },
    target_headers: { type: 'field_reference', description: 'Field for the answer\'s headers; default `[headers]` (ECS: `[@metadata][filter][http][response][headers]`).' },
    tag_on_request_failure: { type: 'string_list', default: ['_httprequestfailure'], description: 'Tags added when no answer came or it was not a 2xx.' },
    tag_on_json_failure: { type: 'string_list', default: ['_jsonparsefailure'], description: 'Tags added when an application/json answer does not parse.' },
    ...HTTP_CLIENT_OPTIONS,
  },
  // A re-run batch calls the endpoint again: harmless for lookups (GET), not for every POST.
  rerunSafe: false,
  create(options, ctx) {
    const fail = (message: string): never => {
      throw new ConfigError(`http: ${message}`, ctx.location);
    };
    const verb = options.verb.toUpperCase();
    if (!VERBS.includes(verb)) fail(`verb must be one of ${VERBS.join(', ')}, got "${options.verb}"`);
    if (!hasInterpolation(options.url) && !/^https?:\/\//i.test(options.url)) fail(`url must start with http:// or https://, got "${options.url}"`);
    const client = new HttpClient(httpClientSettings('http', options, ctx.location));
    const ecs = ctx.ecs !== 'disabled';
    const targetBody = fieldRef(options.target_body ?? (ecs ? '[http][response][body][content]' : '[body]'));
    const targetHeaders = fieldRef(options.target_headers ?? (ecs ? '[@metadata][filter][http][response][headers]' : '[headers]'));
    const urlOf = compileTemplate(options.url);
    const headersOf = compileTemplateTree(options.headers) as (event: Event) => Record<string, unknown>;
    const queryOf = compileTemplateTree(options.query) as (event: Event) => Record<string, unknown>;
    const bodyOf = options.body === undefined ? undefined : compileTemplateTree(options.body);
    const json = options.body_format === 'json';
    const warn = rateLimitedWarn(ctx.logger);

    const tagAll = (event: Event, tags: string[]): void => {
      for (const tag of tags) event.tag(tag);
    };
    const requestFailed = (event: Event, key: string, message: string, fields: Record<string, unknown>): false => {
      warn(key, `http: ${message}; the event is tagged`, fields);
      tagAll(event, options.tag_on_request_failure);
      return false;
    };

    /** One event's request and answer; whether the event is decorated (a 2xx came). */
    const process = async (event: Event): Promise<boolean> => {
      const rendered = urlOf(event);
      let url: URL;
      try {
        url = withQuery(new URL(rendered), queryOf(event));
      } catch {
        return requestFailed(event, 'url', 'the url does not render to a URL', { url: redactUrl(rendered) });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return requestFailed(event, 'url', 'the url does not render to an http(s) URL', { url: redactUrl(rendered) });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(headersOf(event))) headers[name.toLowerCase()] = valueToString(value);
      headers['content-type'] = json ? 'application/json' : 'text/plain';
      const body = bodyOf?.(event);
      // Strings and numbers are sent as they are, hashes and lists as JSON (text: Ruby's to_s would
      // print a Ruby inspect; JSON is the readable equivalent).
      const payload = body === undefined || body === null ? null : typeof body === 'object' ? stringifyLimited(body) : valueToString(body);
      let answer: HttpAnswer;
      try {
        answer = await client.send({ method: verb, url: url.toString(), headers, body: payload }, MAX_ANSWER_BYTES);
      } catch (err) {
        return requestFailed(event, 'request', 'request failed', { url: redactUrl(url.toString()), error: describeHttpError(err) });
      }
      if (answer.truncated) return requestFailed(event, 'size', `the answer is larger than ${MAX_ANSWER_BYTES} bytes`, { url: redactUrl(url.toString()) });
      if (answer.status < 200 || answer.status > 299) {
        return requestFailed(event, 'status', `answered ${answer.status}`, { url: redactUrl(url.toString()), status: answer.status, response: answer.body.toString('utf8', 0, 500) });
      }
      const answerHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined) answerHeaders[name] = value;
      targetHeaders.set(event, answerHeaders);
      const contentType = String(answerHeaders['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const text = answer.body.toString('utf8');
      if (contentType === 'application/json') {
        try {
          const parsed: unknown = JSON.parse(text);
          if (nestingExceeds(parsed)) throw new Error('the JSON is nested too deeply');
          targetBody.set(event, parsed);
        } catch (err) {
          warn('json', 'http: the answer is not valid JSON; the event is tagged', { url: redactUrl(url.toString()), error: (err as Error).message });
          tagAll(event, options.tag_on_json_failure);
        }
      } else {
        targetBody.set(event, text.trim());
      }
      return true;
    };

    return {
      filter() {
        throw new Error('http: only runs on batches');
      },
      async filterBatch(events, matched) {
        const results = await Promise.all(events.map(process));
        events.forEach((event, i) => results[i] && matched(event));
        return events;
      },
      close() {
        return client.close();
      },
    };
  },
});
