/**
 * Ruby evaluated once in each interpreter before any user code: Logstash's event API
 * (LogStash::Event, LogStash::Timestamp, a logger), the `path` script context with its
 * `test` blocks, and the batch runner the host calls once per batch.
 *
 * Wire format (JSON both ways, one string per call):
 * - in: `[[data, metadata|null], ...]`, `@timestamp` as an ISO-8601 string;
 * - out: `{"r": [entry, ...], "l": [[level, message, fields], ...]}` where an entry is 0
 *   (nothing changed) or `[flags, ops, produced, error]`: ops are the event's changes in order
 *   (`[0, ref, value]` set, `[1, ref]` remove, `[2, tag]` tag, `[3]` cancel, `[4]` uncancel),
 *   produced the new events as `[data, metadata|null]`, flags 1 = exception, 2 = not matched
 *   (no decorations). Sending the changes rather than whole events keeps the costly part of
 *   the interpreter (building JSON) proportional to what a snippet did.
 *
 * The Ruby-side Event mirrors src/core/fieldref.ts exactly (bare names, `[a][b]`, `a[b]`,
 * array indexes, intermediate hashes created on set) so replaying its ops on the host event
 * gives the state the snippet saw.
 */
export const RUBY_PRELUDE = String.raw`
require 'json'
require 'time'
require 'js'

# No socket library in WASI: ipaddr only needs the address family constants.
unless defined?(::Socket)
  module ::Socket
    AF_UNSPEC = 0
    AF_INET = 2
    AF_INET6 = 10
  end
  $LOADED_FEATURES << 'socket.rb'
end

module Kernel
  # exit! and abort would end the whole WebAssembly instance: raise instead, like exit.
  def exit!(status = false) = raise(SystemExit.new(status == true || status == 0, 'exit! called in a ruby filter'))
  def abort(message = nil) = raise(SystemExit.new(false, message || 'abort called in a ruby filter'))
  # WASI has no processes: say so instead of returning as if a command ran.
  def system(*) = raise(NotImplementedError, 'no subprocesses in the ruby filter (WebAssembly)')
  def spawn(*) = raise(NotImplementedError, 'no subprocesses in the ruby filter (WebAssembly)')
  def exec(*) = raise(NotImplementedError, 'no subprocesses in the ruby filter (WebAssembly)')
  def ` + '`' + String.raw`(*) = raise(NotImplementedError, 'no subprocesses in the ruby filter (WebAssembly)')
  module_function :exit!, :abort, :system, :spawn, :exec
end
module Process
  def self.exit!(status = false) = raise(SystemExit.new(status == true || status == 0, 'exit! called in a ruby filter'))
  def self.abort(message = nil) = raise(SystemExit.new(false, message || 'abort called in a ruby filter'))
end

module LogStash
  class Error < StandardError; end
  class ConfigurationError < Error; end
  class TimestampParserError < Error; end
  class FieldReferenceParsingException < Error; end
  module Filters; end

  # Buffered log lines: the host drains them after each call and rate-limits them.
  class Logger
    LINES = []
    def initialize(name) = @name = name
    %w[debug info warn error fatal trace].each do |level|
      define_method(level) do |message = nil, fields = nil, &block|
        message = block.call if message.nil? && block
        LINES << [level, message.to_s, fields.is_a?(Hash) ? Wire.plain(fields) : nil] if LINES.size < 1000
        nil
      end
      define_method("#{level}?") { true }
    end
  end

  class Timestamp
    include Comparable
    ISO_MS = '%Y-%m-%dT%H:%M:%S.%LZ'

    def self.now = new(::Time.now)
    def self.at(*args) = new(::Time.at(*args))
    def self.parse_iso8601(text)
      new(::Time.iso8601(text.to_s))
    rescue ArgumentError => e
      raise TimestampParserError, "invalid timestamp string #{text.inspect}: #{e.message}"
    end
    def self.coerce(value)
      case value
      when Timestamp then value
      when ::Time then new(value)
      when ::String then parse_iso8601(value)
      else nil
      end
    end
    # From the wire: parsed only when the script looks at it.
    def self.__iso(text)
      t = allocate
      t.instance_variable_set(:@iso, text)
      t
    end

    def initialize(time = ::Time.now)
      time = time.time if time.is_a?(Timestamp)
      raise TypeError, "LogStash::Timestamp.new needs a Time, got #{time.class}" unless time.is_a?(::Time)
      @time = time.getutc
    end

    def time = (@time ||= ::Time.iso8601(@iso).getutc)
    def to_i = time.to_i
    # Through the exact rational: Time#to_f of a parsed fraction can be off in the last digit.
    def to_f = time.to_r.to_f
    def usec = time.usec
    alias tv_usec usec
    def nsec = time.nsec
    def year = time.year
    def to_iso8601 = (@iso ||= time.strftime(ISO_MS))
    alias to_s to_iso8601
    def inspect = to_iso8601
    def to_json(*args) = to_iso8601.to_json(*args)
    def <=>(other)
      other = Timestamp.coerce(other)
      other && time <=> other.time
    end
    def ==(other) = other.is_a?(Timestamp) && time == other.time
    alias eql? ==
    def hash = time.hash
    def +(seconds) = Timestamp.new(time + seconds)
    def -(other)
      case other
      when Timestamp then time - other.time
      when ::Time then time - other
      else Timestamp.new(time - other)
      end
    end
  end

  class Event
    TIMESTAMP = '@timestamp'
    METADATA = '@metadata'
    REFS = {}

    # A field reference as a path: [metadata?, [parts]] (cached, like the host's).
    def self.ref(text)
      REFS[text] || begin
        raise FieldReferenceParsingException, "field reference must be a String, got #{text.class}" unless text.is_a?(::String)
        parts = parse_ref(text)
        meta = parts[0] == METADATA
        parts = parts.drop(1) if meta
        r = [meta, parts.freeze].freeze
        REFS[text.frozen? ? text : text.dup.freeze] = r if REFS.size < 10_000
        r
      end
    end

    def self.parse_ref(text)
      raise FieldReferenceParsingException, 'empty field reference' if text.empty?
      open = text.index('[')
      if open.nil?
        raise FieldReferenceParsingException, "invalid field reference #{text.inspect}: unbalanced \"]\"" if text.include?(']')
        return [text]
      end
      path = []
      path << text[0, open] if open > 0
      pos = open
      while pos < text.length
        raise FieldReferenceParsingException, "invalid field reference #{text.inspect}" unless text[pos] == '['
        close = text.index(']', pos + 1)
        raise FieldReferenceParsingException, "invalid field reference #{text.inspect}: missing \"]\"" if close.nil?
        part = text[(pos + 1)...close]
        raise FieldReferenceParsingException, "invalid field reference #{text.inspect}: empty or nested brackets" if part.empty? || part.include?('[')
        path << part
        pos = close + 1
      end
      path
    end

    def self.index_of(array, part)
      return -1 unless part.match?(/\A-?\d+\z/)
      n = part.to_i
      n < 0 ? array.length + n : n
    end

    # A hash's entry by key or an array's element by index (negative from the end).
    def self.child(node, part)
      if node.is_a?(::Array)
        i = index_of(node, part)
        i < 0 ? nil : node[i]
      else
        node[part]
      end
    end

    def self.store(node, part, value)
      if node.is_a?(::Array)
        i = index_of(node, part)
        raise IndexError, "cannot set a field: #{part} is not an index of the array" if i < 0
        node[i] = value
      else
        node[part] = value
      end
    end

    # Events made by scripts: LogStash::Event.new(hash).
    def initialize(data = {}, metadata = nil)
      raise TypeError, "LogStash::Event.new needs a Hash, got #{data.class}" unless data.is_a?(::Hash)
      data = Wire.plain(data)
      meta = data.delete(METADATA)
      @meta = meta.is_a?(::Hash) ? meta : metadata
      @data = data
      ts = data[TIMESTAMP]
      data[TIMESTAMP] = ts.nil? ? Timestamp.now : (Timestamp.coerce(ts) || ts)
      data['@version'] ||= '1'
      @ops = nil
      @cancelled = false
    end

    def self.__wire(data, metadata)
      e = allocate
      ts = data[TIMESTAMP]
      data[TIMESTAMP] = Timestamp.__iso(ts) if ts.is_a?(::String)
      e.__init(data, metadata)
      e
    end

    def __init(data, metadata)
      @data = data
      @meta = metadata
      @ops = nil
      @cancelled = false
    end
    def __ops = @ops
    def __data = @data
    def __meta = @meta

    def get(ref)
      meta, path = Event.ref(ref)
      node = meta ? @meta : @data
      if path.length == 1 && !meta
        return Wire.copy(@data[path[0]])
      end
      k = 0
      while k < path.length
        return nil unless node.is_a?(::Hash) || node.is_a?(::Array)
        node = Event.child(node, path[k])
        k += 1
      end
      Wire.copy(node)
    end

    def include?(ref)
      meta, path = Event.ref(ref)
      return @data.key?(path[0]) if !meta && path.length == 1
      parent = __parent(meta, path, false)
      return meta && path.empty? if parent.nil?
      key = path[-1]
      if parent.is_a?(::Array)
        i = Event.index_of(parent, key)
        i >= 0 && i < parent.length
      else
        parent.key?(key)
      end
    end

    def set(ref, value)
      meta, path = Event.ref(ref)
      value = Wire.plain(value)
      if !meta && path.length == 1 && path[0] == TIMESTAMP && !value.is_a?(Timestamp)
        ts = Timestamp.coerce(value)
        raise TypeError, "wrong argument type #{value.class} (expected LogStash::Timestamp)" if ts.nil?
        value = ts
      end
      if meta && path.empty?
        return value unless value.is_a?(::Hash)
        @meta = value
      else
        Event.store(__parent(meta, path, true), path[-1], value)
      end
      (@ops ||= []) << [0, ref, value]
      value
    end

    def remove(ref)
      meta, path = Event.ref(ref)
      parent = __parent(meta, path, false)
      return nil if parent.nil?
      key = path[-1]
      old =
        if parent.is_a?(::Array)
          i = Event.index_of(parent, key)
          i < 0 || i >= parent.length ? nil : parent.delete_at(i)
        else
          parent.delete(key)
        end
      (@ops ||= []) << [1, ref]
      old
    end

    def tag(value)
      value = value.to_s
      tags = @data['tags']
      if tags.is_a?(::Array)
        return if tags.include?(value)
        tags << value
      elsif tags.nil?
        @data['tags'] = [value]
      elsif tags != value
        @data['tags'] = [tags, value]
      else
        return
      end
      (@ops ||= []) << [2, value]
      nil
    end

    def cancel
      @cancelled = true
      (@ops ||= []) << [3]
      true
    end
    def uncancel
      @cancelled = false
      (@ops ||= []) << [4]
      false
    end
    def cancelled? = @cancelled

    def timestamp
      ts = @data[TIMESTAMP]
      ts.is_a?(Timestamp) ? ts : nil
    end
    def timestamp=(value)
      set(TIMESTAMP, value)
    end

    def to_hash = Wire.copy(@data)
    def to_hash_with_metadata
      h = Wire.copy(@data)
      h[METADATA] = Wire.copy(@meta) if @meta && !@meta.empty?
      h
    end
    def to_json(*args) = Wire.encode(@data)
    def to_s = "#{timestamp} #{@data['host']} #{@data['message']}"
    def inspect = "#<LogStash::Event #{Wire.encode(@data)}>"

    def clone = Event.new(to_hash_with_metadata)
    alias dup clone

    # Logstash's Event#append: merges another event's fields into this one.
    def append(other)
      Wire.merge(self, '', other.__data)
      self
    end

    def sprintf(format)
      format.to_s.gsub(/%\{([^}]+)\}/) do
        name = ::Regexp.last_match(1)
        if name == '+%s'
          timestamp&.to_i.to_s
        elsif name.start_with?('+')
          Wire.joda(timestamp&.time, name[1..])
        else
          v = include?(name) ? get(name) : nil
          v.nil? ? "%{#{name}}" : (v.is_a?(::Hash) || v.is_a?(::Array) ? Wire.encode(v) : v.to_s)
        end
      end
    end

    def __parent(meta, path, create)
      if meta
        if @meta.nil?
          return nil unless create
          @meta = {}
        end
        node = @meta
      else
        node = @data
      end
      last = path.length - 1
      i = 0
      while i < last
        part = path[i]
        nxt = Event.child(node, part)
        unless nxt.is_a?(::Hash) || nxt.is_a?(::Array)
          return nil unless create
          nxt = {}
          Event.store(node, part, nxt)
        end
        node = nxt
        i += 1
      end
      node
    end
  end

  # Converting values between the wire (JSON) and what scripts see.
  module Wire
    ESCAPE = /["\\\x00-\x1f]/
    UTF8 = ::Encoding::UTF_8

    module_function

    # A deep copy, as Logstash hands out converted copies from event.get: event data is
    # already plain, so this is plain() (which copies strings, hashes and arrays).
    def copy(v) = plain(v)

    # A value a script stores, made plain data (string keys, Time as Timestamp).
    def plain(v, depth = 0)
      raise ArgumentError, 'value nested too deeply (a cycle?) to store in an event' if depth > 100
      case v
      when ::String then v.frozen? ? v : v.dup
      when ::Integer, ::Float, true, false, nil, Timestamp then v
      when ::Symbol then v.to_s
      when ::Hash
        h = {}
        keys = v.keys
        i = 0
        while i < keys.length
          k = keys[i]
          h[k.is_a?(::String) ? k : k.to_s] = plain(v[k], depth + 1)
          i += 1
        end
        h
      when ::Array
        a = ::Array.new(v.length)
        i = 0
        while i < v.length
          a[i] = plain(v[i], depth + 1)
          i += 1
        end
        a
      when ::Time then Timestamp.new(v)
      when ::Rational then v.to_f
      when Event then plain(v.to_hash_with_metadata, depth + 1)
      else
        return v.to_f if defined?(::BigDecimal) && v.is_a?(::BigDecimal)
        return v.to_s if defined?(::IPAddr) && v.is_a?(::IPAddr)
        raise TypeError, "cannot store a #{v.class} in an event field (use String, Integer, Float, true/false, nil, Hash, Array, Time)"
      end
    end

    def encode(v, out = +'')
      case v
      when ::String
        # Binary strings (Base64.decode64, Digest#digest) are read as UTF-8 bytes, as Logstash
        # does when it turns a Ruby string into a Java one; other encodings are converted.
        unless v.encoding == UTF8
          v = v.encoding == ::Encoding::BINARY || v.encoding == ::Encoding::US_ASCII ? v.dup.force_encoding(UTF8) : v.encode(UTF8, invalid: :replace, undef: :replace)
        end
        v = v.scrub unless v.valid_encoding?
        if v.match?(ESCAPE) then out << JSON.generate(v)
        else out << '"' << v << '"'
        end
      when ::Integer then out << v.to_s
      when ::Float then out << (v.finite? ? v.to_s : 'null')
      when true then out << 'true'
      when false then out << 'false'
      when nil then out << 'null'
      when ::Hash
        out << '{'
        keys = v.keys
        i = 0
        while i < keys.length
          out << ',' if i > 0
          k = keys[i]
          encode(k.is_a?(::String) ? k : k.to_s, out)
          out << ':'
          encode(v[k], out)
          i += 1
        end
        out << '}'
      when ::Array
        out << '['
        i = 0
        while i < v.length
          out << ',' if i > 0
          encode(v[i], out)
          i += 1
        end
        out << ']'
      when Timestamp then out << '"' << v.to_iso8601 << '"'
      else encode(v.to_s, out)
      end
      out
    end

    # Event#append: a missing field is added; two hashes merge; otherwise the values become an array.
    def merge(event, prefix, hash)
      hash.each do |k, v|
        ref = "#{prefix}[#{k}]"
        if !event.include?(ref)
          event.set(ref, v)
        else
          old = event.get(ref)
          if old.is_a?(::Hash) && v.is_a?(::Hash)
            merge(event, ref, v)
          elsif k != Event::TIMESTAMP
            list = old.is_a?(::Array) ? old : [old]
            (v.is_a?(::Array) ? v : [v]).each { |x| list << x unless list.include?(x) }
            event.set(ref, list)
          end
        end
      end
    end

    JODA = { 'yyyy' => '%Y', 'YYYY' => '%Y', 'yy' => '%y', 'MM' => '%m', 'dd' => '%d', 'HH' => '%H',
             'mm' => '%M', 'ss' => '%S', 'SSS' => '%L', 'ZZ' => '%:z', 'Z' => '%z', 'MMM' => '%b', 'EEE' => '%a' }
    def joda(time, format)
      return '' if time.nil?
      time.utc.strftime(format.gsub(/yyyy|YYYY|MMM|EEE|SSS|yy|MM|dd|HH|mm|ss|ZZ|Z/) { |m| JODA[m] })
    end
  end
end

# What a path script is evaluated in: its def register/filter become methods of this object.
class LogStashRubyScript
  attr_reader :__tests

  def initialize(filter_logger)
    @__logger = filter_logger
    @__tests = []
  end
  def logger = @__logger

  def test(name, &block)
    @__tests << [name.to_s, block]
  end

  class TestCase
    attr_reader :params, :events, :expectations
    def initialize
      @params = {}
      @events = []
      @expectations = []
    end
    def parameters(&block) = (@params = block.call || {})
    def in_event(&block)
      v = block.call
      @events.concat(v.is_a?(::Array) ? v : [v])
    end
    alias in_events in_event
    def expect(name = 'expectation', &block) = @expectations << [name.to_s, block]
  end
end

# One per filter instance: the inline lambda or the script, and the batch runner.
class LogStashRubyFilter
  def initialize(id)
    @__logger = LogStash::Logger.new(id)
  end
  def logger = @__logger

  # The code becomes a method of this object rather than Logstash's lambda: the runner then calls
  # it without leaving the VM, where calling a Proc re-enters it through setjmp, which WebAssembly
  # emulates by unwinding the whole stack (measured: the main cost per event). A lambda body may
  # use next (a method's may not): such code keeps the lambda.
  def __inline(init, code, label)
    instance_eval(init, "(ruby filter init)", 1) if init
    @__script = nil
    begin
      instance_eval("def __code(event, &new_event_block)\n#{code}\nend", label, 0)
    rescue SyntaxError => e
      raise unless e.message.include?('Invalid next')
      @__lambda = instance_eval("lambda { |event, &new_event_block| #{code}\n}", label, 0)
      instance_eval("def __code(event, &block) = @__lambda.call(event, &block)", label, 0)
    end
  end

  def __script(source, path, params)
    @__script = __load_script(source, path)
    @__script.register(params) if @__script.respond_to?(:register)
    raise LogStash::ConfigurationError, "script #{path} must define filter(event)" unless @__script.respond_to?(:filter)
  end

  def __load_script(source, path)
    s = LogStashRubyScript.new(@__logger)
    s.instance_eval(source, path, 1)
    s
  end

  # Runs the script's test blocks, each on a freshly loaded script; returns the failures.
  def __test(source, path)
    failures = []
    tests = __load_script(source, path).__tests
    tests.each do |name, block|
      begin
        t = LogStashRubyScript::TestCase.new
        t.instance_eval(&block)
        script = __load_script(source, path)
        script.register(t.params) if script.respond_to?(:register)
        results = t.events.flat_map do |fields|
          r = script.filter(LogStash::Event.new(fields))
          raise "filter did not return an array (got #{r.inspect})" unless r.is_a?(::Array)
          r
        end
        t.expectations.each do |what, check|
          failures << "test #{name.inspect}: expect(#{what.inspect}) failed" unless check.call(results)
        end
      rescue Exception => e
        failures << "test #{name.inspect}: #{e.class}: #{e.message}"
      end
    end
    [tests.size, failures]
  end

  # The batch is read from globalThis.__logpipeRubyInput (one copy into the interpreter).
  def __run(step)
    last_step = step ? Process.clock_gettime(Process::CLOCK_MONOTONIC, :millisecond) : 0
    items = JSON.parse(JS.global[:__logpipeRubyInput].to_s)
    out = +'{"r":['
    script = @__script
    n = items.length
    i = 0
    while i < n
      data, meta = items[i]
      if step
        now = Process.clock_gettime(Process::CLOCK_MONOTONIC, :millisecond)
        if now - last_step >= step
          JS.global.call(:__logpipeRubyStep)
          last_step = now
        end
      end
      out << ',' if i > 0
      event = LogStash::Event.__wire(data, meta)
      produced = nil
      flags = 0
      error = nil
      begin
        if script
          results = script.filter(event)
          unless results.is_a?(::Array)
            raise "Custom script did not return an array from 'filter'. Only arrays may be returned!"
          end
          kept = false
          k = 0
          while k < results.length
            r = results[k]
            raise "Custom script returned a non event object '#{r.inspect}'! You must return an array of events from this function! To drop an event simply return nil." unless r.is_a?(LogStash::Event)
            if r.equal?(event) then kept = true
            else (produced ||= []) << r
            end
            k += 1
          end
          event.cancel unless kept
        else
          __code(event) { |e| (produced ||= []) << e }
        end
      rescue Exception => e
        flags = 1
        error = "#{e.class}: #{e.message}"
        error = e.message if e.class == RuntimeError
      end
      ops = event.__ops
      i += 1
      if ops.nil? && produced.nil? && error.nil?
        out << '0'
        next
      end
      entry = +"[#{flags},"
      begin
        LogStash::Wire.encode(ops || [], entry)
        entry << ','
        LogStash::Wire.encode(produced ? produced.map { |p| [p.__data, p.__meta] } : [], entry)
        entry << ','
        LogStash::Wire.encode(error, entry)
        entry << ']'
      rescue Exception => e
        entry = "[1,[],[],#{LogStash::Wire.encode("cannot return the event: #{e.class}: #{e.message}")}]"
      end
      out << entry
    end
    out << '],"l":'
    __drain_logs(out)
    out << '}'
  end

  def __drain_logs(out = +'')
    LogStash::Wire.encode(LogStash::Logger::LINES, out)
    LogStash::Logger::LINES.clear
    out
  end
end
`;
